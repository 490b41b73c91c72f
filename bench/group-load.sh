#!/usr/bin/env bash
# Replicated ingest against one node: the load driver's multipart phase (SDK defaults, signed, 2 threads
# unless told otherwise) first against a node on its own, then against a group of three on this machine
# (the client talks to n1; bodies are sent from there to the two others before their entries are logged).
# Prints, for each: the driver's MB/s and the CPU seconds per GB summed over every node process of the
# run (warm-up included: the same bytes in both runs), and the ratios group / single. See bench/LOAD.md.
#
#   bench/group-load.sh
#
# Environment: SKIP_BUILD=1 reuses the last build; INGEST_MIB (1024), WARMUP_MIB (256) and THREADS (2) size
# the driver's pass. Longer passes weigh the JIT compiler's start-up work less (it is in both runs).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cp_file=bench/target/load.classpath
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$cp_file" ] || [ ! -f server/target/tessera.jar ]; then
  echo "building the node jar and the load driver..." >&2
  mvn -q -B -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/load.classpath -DincludeScope=runtime
fi
work=bench/target/group-load
rm -rf "$work" && mkdir -p "$work"
export TESSERA_ACCESS_KEY=AKIAGROUPLOADBENCH01 TESSERA_SECRET_KEY=group-load-bench-secret-0000000000000000
ingest_mib=${INGEST_MIB:-1024} warmup_mib=${WARMUP_MIB:-256}
driver_opts=(--phases floors,multipart --modes signed --threads "${THREADS:-2}" --ingest-mib "$ingest_mib"
    --warmup-mib "$warmup_mib")
pids=()
stop_nodes() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap stop_nodes EXIT

# clock ticks of user + system time of a process (fields 14 and 15 of /proc/PID/stat)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

start_node() { # name s3port adminport [group flags...]
  local name=$1 port=$2 admin=$3; shift 3
  java -Xms1g -Xmx1g -jar server/target/tessera.jar serve --data "$work/$name" --listen "127.0.0.1:$port" \
      --admin-listen "127.0.0.1:$admin" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
}

await_ready() { # adminport...: until each answers /health/ready 200 (a group: once it has a leader), at most 60 s
  for admin in "$@"; do
    for _ in $(seq 1 600); do
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin/health/ready" || true)" = 200 ] && break
      sleep 0.1
    done
  done
}

run() { # label: runs the driver against n1 of the nodes started, prints MB/s and CPU-s/GB over all nodes
  local label=$1 before=0 after=0 out
  for p in "${pids[@]}"; do before=$((before + $(ticks "$p"))); done
  if ! java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp "bench/target/classes:$(cat "$cp_file")" \
      io.tessera.bench.load.LoadDriver --endpoint http://127.0.0.1:9401 --node-pid "${pids[0]}" \
      "${driver_opts[@]}" >"$work/$label.txt" 2>&1; then
    if grep -q "^FAILED REQUESTS" "$work/$label.txt" && grep -qE "^multipart \S+ \S+ +[0-9]" "$work/$label.txt"; then
      # requests refused (503 SlowDown) are a result of the run: count them with its figures
      echo "$label: some requests failed; the figures below count them ($work/$label.txt):" >&2
      grep -A3 "^FAILED REQUESTS" "$work/$label.txt" | cut -c1-200 >&2
    else
      echo "the load driver failed against the $label run; its output, then the nodes' last lines:" >&2
      tail -n 30 "$work/$label.txt" >&2
      for log in "$work"/*.log; do echo "== $log" >&2; tail -n 15 "$log" >&2; done
      exit 1
    fi
  fi
  for p in "${pids[@]}"; do
    [ -r "/proc/$p/stat" ] || { echo "node process $p of the $label run died; see $work" >&2; exit 1; }
    after=$((after + $(ticks "$p")))
  done
  local hz; hz=$(getconf CLK_TCK)
  local mib=$((warmup_mib + ingest_mib)) # the warm-up and the measured pass of driver_opts
  python3 - "$label" "$before" "$after" "$hz" "$mib" "$work" <<'EOF'
import sys
label, before, after, hz, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
cpu = (after - before) / hz
gb = mib * 1048576 / 1e9
print(f"{label}: node CPU {cpu:.1f} s over {gb:.2f} GB -> {cpu / gb:.2f} CPU-s/GB summed over its nodes")
open(f"{sys.argv[6]}/{label}.cpu", "w").write(f"{cpu / gb}\n")
EOF
  grep -E "multipart|floor" "$work/$label.txt" | head -8
}

start_node single 9401 9501
await_ready 9501
run single
stop_nodes

peers=n1=127.0.0.1:9410:9411,n2=127.0.0.1:9420:9421,n3=127.0.0.1:9430:9431
start_node n1 9401 9501 --node-id n1 --peer-listen 127.0.0.1:9410 --peers "$peers"
start_node n2 9402 9502 --node-id n2 --peer-listen 127.0.0.1:9420 --peers "$peers"
start_node n3 9403 9503 --node-id n3 --peer-listen 127.0.0.1:9430 --peers "$peers"
await_ready 9501 9502 9503
run group
stop_nodes

# the ratios: the driver's MB/s from its summary row, the CPU from the files run() wrote
python3 - "$work" <<'EOF'
import re, sys
work = sys.argv[1]
def mbs(label):
    rows = [l for l in open(f"{work}/{label}.txt") if re.match(r"multipart \S+ \S+\s+\d+\s+\d+\s+\d+\s", l)]
    return float(rows[-1].split()[6])
def cpu(label):
    return float(open(f"{work}/{label}.cpu").read())
s, g = mbs("single"), mbs("group")
print(f"group / single: MB/s {g:.1f} / {s:.1f} = {g / s:.2f}x; "
      f"CPU-s/GB {cpu('group'):.2f} / {cpu('single'):.2f} = {cpu('group') / cpu('single'):.2f}x")
EOF
