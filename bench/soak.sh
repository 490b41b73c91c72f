#!/usr/bin/env bash
# Soak test: a mixed S3 workload (PUT, GET whole and ranged, ListObjectsV2, DELETE, multipart uploads,
# aborted uploads, ListMultipartUploads; every read checked) against a node on loopback for N minutes,
# printing the node's resident memory, heap (in use, and live after a full GC), direct buffer memory,
# open file descriptors, threads and data size over time, and ending with a verdict whether they stayed
# flat.
#
#   bench/soak.sh --minutes N [options...]
#
# Examples:
#   bench/soak.sh --minutes 5                          # about 6 minutes with the build
#   bench/soak.sh --minutes 60 --threads 8 --sample-seconds 30 --node-heap 1g
#   bench/soak.sh --help
# Exit code: 0 flat and no request failed, 3 something grew, 1 a request failed or the node died.
# The node runs from server/target/tessera.jar on a fresh directory under bench/target/soak (its log stays
# there). Environment: SKIP_BUILD=1 reuses what the last build left.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cp_file=bench/target/load.classpath
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$cp_file" ] || [ ! -f server/target/tessera.jar ]; then
  echo "building the node jar and the soak driver..." >&2
  mvn -q -B -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/load.classpath -DincludeScope=runtime
fi
exec java -Xms1g -Xmx1g -cp "bench/target/classes:$(cat "$cp_file")" io.tessera.bench.load.SoakDriver "$@"
