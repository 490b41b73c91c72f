#!/usr/bin/env bash
# End-to-end load against a Tessera node with the AWS SDK for Java v2: multipart ingest at 1, 2 and 8
# client threads, 4 KiB objects, hot GETs of a 64 MiB object; throughput, latency and the node's own
# CPU per GB and per request. About 3-4 minutes with the defaults on 2 cores. See bench/LOAD.md.
#
#   bench/load.sh [driver options...]
#
# By default it builds the node jar and the driver, starts a node from server/target/tessera.jar on a
# fresh data directory under bench/target/load (the disk under test, not a tmpfs), runs every phase
# once and stops the node. Examples:
#   bench/load.sh --rounds 3                          # medians of three rounds (about 10 minutes)
#   bench/load.sh --phases multipart --threads 2      # one phase
#   bench/load.sh --node-jvm-opt=-XX:StartFlightRecording=duration=60s,filename=node.jfr
#   bench/load.sh --endpoint http://127.0.0.1:9000 --access-key A --secret-key S   # a running node
#   bench/load.sh --help
# Environment: SKIP_BUILD=1 reuses what the last build left.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cp_file=bench/target/load.classpath
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$cp_file" ] || [ ! -f server/target/tessera.jar ]; then
  echo "building the node jar and the load driver..." >&2
  mvn -q -B -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/load.classpath -DincludeScope=runtime
fi
# A pre-sized client heap, so the client's first-touch page faults stay out of the measurements too.
exec java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp "bench/target/classes:$(cat "$cp_file")" \
    io.tessera.bench.load.LoadDriver "$@"
