#!/usr/bin/env bash
# Complete and Abort at 10 000 parts (issue 16): the load driver's manyparts phase first against a node on
# its own, then against a group of three on this machine (the client talks to n1), in the same run. Each
# repeat uploads two uploads of PARTS tiny parts, then times ListParts' first page and Complete with the
# full part list on one, and Abort on the other, one request at a time. The nodes start with
# -Dtessera.minPartSize so that parts this small are allowed. Prints the driver's many-parts table for
# each and a summary line per request kind. See bench/LOAD.md.
#
#   bench/group-parts.sh                       # 10 000 parts, 3 repeats after 1 unmeasured
#   PARTS=2000 REPEATS=2 bench/group-parts.sh  # a quick run
#
# Environment: PARTS (10000), REPEATS (3), WARMUPS (1), THREADS (8, client threads sending parts),
# PART_BYTES (16), BASE_PORT (9600: S3 ports BASE+1..3, admin BASE+101..103, peers BASE+10..30),
# NODE_HEAP (1g), SKIP_BUILD=1 reuses the last build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
parts=${PARTS:-10000} repeats=${REPEATS:-3} warmups=${WARMUPS:-1} threads=${THREADS:-8}
part_bytes=${PART_BYTES:-16} base=${BASE_PORT:-9600} heap=${NODE_HEAP:-1g}
cp_file=bench/target/load.classpath
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$cp_file" ] || [ ! -f server/target/tessera.jar ]; then
  echo "building the node jar and the load driver..." >&2
  mvn -q -B -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/load.classpath -DincludeScope=runtime
fi
work=bench/target/group-parts
rm -rf "$work" && mkdir -p "$work"
export TESSERA_ACCESS_KEY=AKIAGROUPPARTSBENCH1 TESSERA_SECRET_KEY=group-parts-bench-secret-000000000000000
driver_opts=(--phases manyparts --many-parts "$parts" --many-repeats "$repeats" --many-warmups "$warmups"
  --many-threads "$threads" --many-part-bytes "$part_bytes" --warmup-rounds 0 --max-seconds 600)
pids=() names=()
stop_nodes() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=() names=()
}
trap stop_nodes EXIT

# What the nodes said last, for a run that failed.
node_tails() {
  for n in "${names[@]}"; do
    echo "--- last lines of $work/$n.log" >&2
    tail -n 25 "$work/$n.log" >&2 || true
  done
}

start_node() { # name s3port adminport [group flags...]
  local name=$1 port=$2 admin=$3; shift 3
  java -Xms"$heap" -Xmx"$heap" -Dtessera.minPartSize="$part_bytes" -jar server/target/tessera.jar serve \
      --data "$work/$name" --listen "127.0.0.1:$port" --admin-listen "127.0.0.1:$admin" "$@" \
      >"$work/$name.log" 2>&1 &
  pids+=($!) names+=("$name")
}

await_ready() { # adminport...: until each answers /health/ready 200 (a group: once it has a leader), at most 60 s
  for admin in "$@"; do
    local ok=0
    for _ in $(seq 1 600); do
      if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin/health/ready" || true)" = 200 ]; then
        ok=1 && break
      fi
      sleep 0.1
    done
    if [ "$ok" != 1 ]; then
      echo "the node with admin port $admin was not ready within 60 s" >&2
      node_tails
      exit 1
    fi
  done
}

run() { # label: runs the driver against n1 of the nodes started; its output goes to $work/label.txt
  local label=$1 rc=0
  echo "== $label: $parts parts x $repeats repeats (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  java -Xms1g -Xmx1g -cp "bench/target/classes:$(cat "$cp_file")" io.tessera.bench.load.LoadDriver \
      --endpoint "http://127.0.0.1:$((base + 1))" --node-pid "${pids[0]}" --work-dir "$work/driver-$label" \
      "${driver_opts[@]}" >"$work/$label.txt" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    echo "the driver failed ($label, exit $rc); its output:" >&2
    cat "$work/$label.txt" >&2
    node_tails
    exit 1
  fi
  # the table of this run (the medians table when there are several rounds; the driver runs one)
  sed -n '/^round 1$/,/^$/p' "$work/$label.txt"
}

start_node single $((base + 1)) $((base + 101))
await_ready $((base + 101))
run single
stop_nodes

peers="n1=127.0.0.1:$((base + 10)):$((base + 11)),n2=127.0.0.1:$((base + 20)):$((base + 21))"
peers+=",n3=127.0.0.1:$((base + 30)):$((base + 31))"
start_node n1 $((base + 1)) $((base + 101)) --node-id n1 --peer-listen 127.0.0.1:$((base + 10)) --peers "$peers"
start_node n2 $((base + 2)) $((base + 102)) --node-id n2 --peer-listen 127.0.0.1:$((base + 20)) --peers "$peers"
start_node n3 $((base + 3)) $((base + 103)) --node-id n3 --peer-listen 127.0.0.1:$((base + 30)) --peers "$peers"
await_ready $((base + 101)) $((base + 102)) $((base + 103))
run group
stop_nodes

# p50 and max per request kind, group against single: as the driver timed them (the SDK's marshalling of the
# part list and its parsing of the answers included), and as the node that took them logged them (its access
# log: from the headers' arrival to the answer's last byte written; the measured repeats only)
python3 - "$work/single.txt" "$work/group.txt" "$work/single.log" "$work/n1.log" <<'EOF'
import re, statistics, sys
def driver(path):
    out = {}
    for line in open(path):
        m = re.match(r"many parts: (.+?)\s{2,}\d+\s+\d+\s+\d+\s+(\S+)\s+(\S+)\s+(\S+)", line)
        if m and m.group(1) not in out:
            out[m.group(1)] = (float(m.group(3)), float(m.group(4)))
    return out
def node(path):
    ops = {"ListParts": "ListParts page 1", "CompleteMultipartUpload": "Complete", "AbortMultipartUpload": "Abort"}
    out = {}
    for line in open(path):
        f = line.split()
        # time request-id access-key operation bucket key status bytes-in bytes-out duration-ms
        if len(f) > 7 and f[3] in ops and f[5].startswith("many/r") and f[6] in ("200", "204"):
            out.setdefault(ops[f[3]], []).append(float(f[-1]))
    return {k: (statistics.median(v), max(v)) for k, v in out.items()}
def show(title, single, group):
    print(f"{title:<34} {'single p50 / max':>19} {'group p50 / max':>19} {'group/single p50':>17}")
    for k, (p50, mx) in single.items():
        g = group.get(k)
        if g:
            ratio = g[0] / p50 if p50 else float("nan")
            print(f"{k:<34} {p50:>8.1f} / {mx:<8.1f} {g[0]:>8.1f} / {g[1]:<8.1f} {ratio:>16.2f}x")
show("request (driver, ms)", driver(sys.argv[1]), driver(sys.argv[2]))
show("request (node's access log, ms)", node(sys.argv[3]), node(sys.argv[4]))
EOF
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg); driver output and node logs in $work" >&2
