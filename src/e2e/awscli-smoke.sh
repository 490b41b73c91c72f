#!/usr/bin/env bash
# End-to-end check with a real S3 client: starts a node from the fat jar on a free loopback port
# and drives it with the aws cli (Debian package `awscli`): bucket, a multipart `aws s3 cp`, the
# s3api multipart calls, a bucket lifecycle configuration and the abort date it puts on new uploads,
# download and compare; then the operator's side (health, metrics, the admin commands against the
# node), a graceful SIGTERM and an offline fsck of the data directory.
set -euo pipefail
cd "$(dirname "$0")/../.."

AWS=${AWS:-$(command -v /usr/bin/aws || command -v aws)}
JAR=server/target/tessera.jar
[ -f "$JAR" ] || mvn -q -B -DskipTests package

work=$(mktemp -d)
node_pid=
cleanup() {
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then kill -KILL "$node_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export AWS_ACCESS_KEY_ID=e2e-access-key
export AWS_SECRET_ACCESS_KEY=e2e-secret-key-0123456789
export AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
export AWS_PAGER=

java -jar "$JAR" serve --data "$work/data" --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 \
  --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" >"$work/node.log" 2>&1 &
node_pid=$!

endpoint=
admin=
for _ in $(seq 1 300); do
  endpoint=$(grep -o 'listening on http://[0-9.:]*' "$work/node.log" | head -1 | sed 's/listening on //') || true
  admin=$(grep -o 'Admin listener on http://[0-9.:]*' "$work/node.log" | head -1 | sed 's/Admin listener on //') || true
  [ -n "$endpoint" ] && [ -n "$admin" ] && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$work/node.log"; echo "node died"; exit 1; }
  sleep 0.1 # polling for the node's start line, bounded to 30 s
done
[ -n "$endpoint" ] && [ -n "$admin" ] || { cat "$work/node.log"; echo "node did not start"; exit 1; }
echo "node at $endpoint, admin listener at $admin"

s3() { "$AWS" --endpoint-url "$endpoint" s3 "$@"; }
s3api() { "$AWS" --endpoint-url "$endpoint" s3api "$@"; }

s3 mb s3://e2e
head -c $((20 * 1024 * 1024 + 12345)) /dev/urandom >"$work/big.bin"
s3 cp --no-progress "$work/big.bin" s3://e2e/dir/big.bin          # above the 8 MiB threshold: multipart
s3 ls s3://e2e/dir/ | grep -q big.bin

# the s3api multipart calls, by hand
upload_id=$(s3api create-multipart-upload --bucket e2e --key manual.bin --query UploadId --output text)
head -c $((5 * 1024 * 1024)) /dev/urandom >"$work/p1"
head -c 1000 /dev/urandom >"$work/p2"
s3api upload-part --bucket e2e --key manual.bin --upload-id "$upload_id" --part-number 1 --body "$work/p1" >/dev/null
s3api upload-part --bucket e2e --key manual.bin --upload-id "$upload_id" --part-number 2 --body "$work/p2" >/dev/null
parts=$(s3api list-parts --bucket e2e --key manual.bin --upload-id "$upload_id" --query 'length(Parts)' --output text)
[ "$parts" = "2" ] || { echo "list-parts: expected 2 parts, got $parts"; exit 1; }
s3api list-multipart-uploads --bucket e2e --query 'Uploads[].UploadId' --output text | grep -q "$upload_id"
s3api abort-multipart-upload --bucket e2e --key manual.bin --upload-id "$upload_id"
if s3api list-parts --bucket e2e --key manual.bin --upload-id "$upload_id" 2>"$work/err"; then
  echo "list-parts after abort should fail"; exit 1
fi
grep -q NoSuchUpload "$work/err"

# bucket lifecycle: put (the cli sends Content-MD5 or a checksum), get back, abort date on new uploads, delete
cat >"$work/lifecycle.json" <<'JSON'
{"Rules": [
  {"ID": "abort-stale-uploads", "Filter": {"Prefix": "tmp/"}, "Status": "Enabled",
   "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}},
  {"ID": "expire-logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 30}}
]}
JSON
s3api put-bucket-lifecycle-configuration --bucket e2e --lifecycle-configuration "file://$work/lifecycle.json"
rules=$(s3api get-bucket-lifecycle-configuration --bucket e2e --query 'Rules[].ID' --output text)
[ "$rules" = "$(printf 'abort-stale-uploads\texpire-logs')" ] || { echo "lifecycle rules: got $rules"; exit 1; }
rule_id=$(s3api create-multipart-upload --bucket e2e --key tmp/part.bin --query AbortRuleId --output text)
[ "$rule_id" = "abort-stale-uploads" ] || { echo "create-multipart-upload: abort rule $rule_id"; exit 1; }
s3api delete-bucket-lifecycle --bucket e2e
if s3api get-bucket-lifecycle-configuration --bucket e2e 2>"$work/err"; then
  echo "get-bucket-lifecycle-configuration after delete should fail"; exit 1
fi
grep -q NoSuchLifecycleConfiguration "$work/err"

s3 cp --no-progress s3://e2e/dir/big.bin "$work/down.bin"
cmp "$work/big.bin" "$work/down.bin"

# The operator's side: health, metrics (incomplete uploads' bytes exact), the admin commands.
get() { python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "$1"; }
tessera() { java -jar "$JAR" "$@" --endpoint "$admin" --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY"; }
expect() { # expect PATTERN COMMAND...: the command succeeds and a line of its output matches PATTERN
  local pattern=$1 out
  shift
  out=$("$@") || { echo "$*: failed: $out"; exit 1; }
  grep -q -- "$pattern" <<<"$out" || { echo "$*: expected /$pattern/ in:"; echo "$out"; exit 1; }
}
expect '"ready":true' get "$admin/health/ready"
forgotten=$(s3api create-multipart-upload --bucket e2e --key forgotten.bin --query UploadId --output text)
s3api upload-part --bucket e2e --key forgotten.bin --upload-id "$forgotten" --part-number 1 --body "$work/p1" >/dev/null
s3api upload-part --bucket e2e --key forgotten.bin --upload-id "$forgotten" --part-number 2 --body "$work/p2" >/dev/null
get "$admin/metrics" >"$work/metrics.txt"
held=$(awk '$1 == "tessera_engine_incomplete_upload_bytes" {printf "%d", $2}' "$work/metrics.txt")
[ "$held" = "$((5 * 1024 * 1024 + 1000))" ] || { echo "metrics: incomplete upload bytes $held"; exit 1; }
expect '^tessera_s3_requests_total{operation="UploadPart",status="200"}' cat "$work/metrics.txt"
# incomplete now: the forgotten upload and tmp/part.bin of the lifecycle check (no parts)
expect '^uploads      2 incomplete' tessera status
expect "$forgotten" tessera uploads list --older-than 0s
expect '^aborted 2 uploads' tessera uploads abort --older-than 0s
expect '^gc: gave back' tessera gc
expect '^fsck: clean' tessera fsck --bodies

kill -TERM "$node_pid"
wait "$node_pid" || true
node_pid=
expect '^fsck: clean' java -jar "$JAR" fsck --data "$work/data"    # offline, now that no node holds it
echo "awscli e2e: passed"
