#!/usr/bin/env bash
# End-to-end load against Tessera nodes with the AWS SDK for Java v2: multipart ingest in three payload
# modes (signed: SDK defaults over http; unsigned: unsigned-trailer over http; tls: the same over HTTPS)
# at 1, 2, 8 and 64 client threads, 4 KiB objects at 8 threads, hot GETs of a 64 MiB object; throughput,
# latency, the nodes' own CPU per GB and per request, and the ratio to floors measured in the same round
# (MD5+SHA-256 and MD5+CRC32 on one client thread; the raw loopback sendfile for the GET). About 1.5-2
# minutes with the defaults on 2 cores. See bench/LOAD.md.
#
#   bench/load.sh [driver options...]
#
# By default it builds the node jar and the driver, starts two nodes from server/target/tessera.jar (one
# over http, one over HTTPS with a self-signed certificate made at start) on fresh data directories
# under bench/target/load (the disk under test, not a tmpfs), runs every phase once and stops the nodes.
# Examples:
#   bench/load.sh --rounds 3                          # medians of three rounds (about 5 minutes)
#   bench/load.sh --phases floors,multipart --modes signed --threads 2   # one mode, one thread count
#   bench/load.sh --node-jvm-opt=-XX:StartFlightRecording=duration=60s,filename=node.jfr
#   bench/load.sh --endpoint http://127.0.0.1:9000 --access-key A --secret-key S   # a running node
#   bench/load.sh --help
# Exit code 0 when every request succeeded and the nodes lived. Environment: SKIP_BUILD=1 reuses what
# the last build left.
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
