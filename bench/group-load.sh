#!/usr/bin/env bash
# Replicated ingest against one node: the load driver's multipart phase (SDK defaults, signed, 2 threads
# unless told otherwise) first against a node on its own, then against a group of three on this machine
# (the client talks to n1; bodies are sent from there to the two others before their entries are logged).
# Prints, for each: the driver's MB/s and the CPU seconds per GB summed over every node process of the
# run (warm-up included: the same bytes in both runs), and the ratios group / single. See bench/LOAD.md.
#
#   bench/group-load.sh
#
# Environment: SKIP_BUILD=1 reuses the last build.
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
driver_opts=(--phases floors,multipart --modes signed --threads 2 --ingest-mib 1024 --warmup-mib 256)
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
  out=$(java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp "bench/target/classes:$(cat "$cp_file")" \
      io.tessera.bench.load.LoadDriver --endpoint http://127.0.0.1:9401 --node-pid "${pids[0]}" \
      "${driver_opts[@]}")
  for p in "${pids[@]}"; do after=$((after + $(ticks "$p"))); done
  echo "$out" >"$work/$label.txt"
  local hz; hz=$(getconf CLK_TCK)
  local mib=$((256 + 1024)) # the warm-up and the measured pass of driver_opts
  python3 - "$label" "$before" "$after" "$hz" "$mib" <<'EOF'
import sys
label, before, after, hz, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
cpu = (after - before) / hz
gb = mib * 1048576 / 1e9
print(f"{label}: node CPU {cpu:.1f} s over {gb:.2f} GB -> {cpu / gb:.2f} CPU-s/GB summed over its nodes")
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
