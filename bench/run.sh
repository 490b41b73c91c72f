#!/usr/bin/env bash
# Builds the benchmarks jar and runs one suite (default: all, about 13-14 minutes on 2 cores).
#
#   bench/run.sh [suite] [more JMH options...]
#
# suites:
#   raw       raw FileChannel writes + fdatasync per part (the reference)      ~1.5 min
#   parts     UploadPart through the engine, 8/64 MiB, 1/2 threads, each
#             next to the same raw loop (writer=raw) for the ratio            ~3 min
#   ingest    raw + parts in one run                                          ~4.5 min
#   body      Chronicle MappedBytes vs FileChannel for body bytes              ~3 min
#   complete  complete/abort latency at 10 / 1 000 / 10 000 parts            ~4.5 min
#   small     4 KiB PutObject/s, 1/2/8 threads, 64 or 1 write lanes           ~2 min
#   all       everything above                                                ~13.5 min
#   smoke     everything, one short iteration each, to check that it all runs ~2.5 min
#
# Options after the suite go to JMH and override the defaults, e.g. a longer, more precise run:
#   bench/run.sh all -f 2 -wi 3 -i 10            (~45 min)
#   bench/run.sh all -f 3 -wi 3 -w 5 -i 10 -r 5  (~2 h)
# and profilers:
#   bench/run.sh parts -p partMiB=8 -prof stack -prof gc
# Environment: SKIP_BUILD=1 reuses bench/target/benchmarks.jar; TESSERA_BENCH_DIR puts the scratch
# files elsewhere (default bench/target/bench-data: it must be on the disk under test, not a tmpfs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
suite="${1:-all}"
[ $# -gt 0 ] && shift

case "$suite" in
  raw)      patterns=('io.tessera.bench.segment.RawWriteBench') ;;
  parts)    patterns=('io.tessera.bench.engine.PartAppendBench') ;;
  ingest)   patterns=('io.tessera.bench.segment.RawWriteBench' 'io.tessera.bench.engine.PartAppendBench') ;;
  body)     patterns=('io.tessera.bench.segment.BodyPathBench') ;;
  complete) patterns=('io.tessera.bench.engine.CompleteAbortBench') ;;
  small)    patterns=('io.tessera.bench.engine.SmallObjectBench') ;;
  all|smoke) patterns=('io.tessera.bench') ;;
  -h|--help|help) sed -n '2,27p' "$0"; exit 0 ;;
  *) echo "unknown suite '$suite' (raw, parts, ingest, body, complete, small, all, smoke)" >&2; exit 2 ;;
esac

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && mvn -q -pl bench -am package -DskipTests)
fi

data="${TESSERA_BENCH_DIR:-$here/target/bench-data}"
mkdir -p "$data"
fstype="$(df --output=fstype "$data" | tail -1 | tr -d ' ')"
if [ "$fstype" = tmpfs ]; then
  echo "warning: $data is on tmpfs; the fsync numbers will mean nothing (set TESSERA_BENCH_DIR)" >&2
fi
echo "scratch files in $data ($fstype, $(df -h --output=avail "$data" | tail -1 | tr -d ' ') free)"

# Other work on the machine (builds, load tests) skews these numbers far more than the disk does.
read -r load1 _ < /proc/loadavg
echo "load average (1 min): $load1 on $(nproc) cores"
if awk -v l="$load1" 'BEGIN { exit !(l > 0.5) }'; then
  echo "warning: the machine is busy (load $load1); results will be low and noisy. Check top." >&2
fi

defaults=()
if [ "$suite" = smoke ]; then
  defaults=(-f 1 -wi 1 -w 1 -i 1 -r 1 -p parts=10,1000)
fi

stamp="$(date +%Y%m%d-%H%M%S)"
out="$here/target/jmh-$suite-$stamp"
cd "$here"
java -jar target/benchmarks.jar "${patterns[@]}" \
  -jvmArgsPrepend "-Dtessera.bench.dir=$data" \
  -rf json -rff "$out.json" \
  "${defaults[@]}" "$@" 2>&1 | tee "$out.txt"
echo "results: $out.txt and $out.json"
