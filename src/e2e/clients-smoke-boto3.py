"""boto3 half of clients-smoke.sh: runs against a node the shell script started.

Usage: python3 clients-smoke-boto3.py PORT ACCESS_KEY SECRET_KEY WORKDIR

Prints one line per check, "RESULT<TAB>ok|fail|skip<TAB>name<TAB>detail", for the shell script to tally.
Meant for Debian's python3-boto3 (botocore 1.29, which predates If-None-Match on PutObject and the
CRC64NVME parameters: those are sent as plain headers here) and works with newer botocore too.
"""
import base64
import hashlib
import io
import os
import socket
import struct
import sys
import time
import traceback
import urllib.error
import urllib.request
import zlib

import boto3
import botocore
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

PORT, AK, SK, WORK = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
PATH_EP = "http://127.0.0.1:%s" % PORT
VHOST_EP = "http://localhost:%s" % PORT

_getaddrinfo = socket.getaddrinfo


def _loopback_subdomains(host, *args, **kwargs):
    # glibc does not resolve <bucket>.localhost (RFC 6761 says it is loopback): virtual-hosted requests
    # to http://<bucket>.localhost:PORT go to 127.0.0.1 with their Host header intact.
    if isinstance(host, str) and host.endswith(".localhost"):
        host = "127.0.0.1"
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _loopback_subdomains


def client(endpoint=PATH_EP, style="path", **config):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=AK,
                        aws_secret_access_key=SK, config=Config(s3={"addressing_style": style}, **config))


def report(status, name, detail=""):
    detail = " ".join(str(detail).split())[:600]
    print("RESULT\t%s\t%s\t%s" % (status, name, detail), flush=True)


def check(name):
    def run(fn):
        started = time.time()
        try:
            out = fn()
            report("ok", name, "%.1fs %s" % (time.time() - started, "" if out is None else out))
        except Skip as e:
            report("skip", name, str(e))
        except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the run
            traceback.print_exc(file=sys.stderr)
            report("fail", name, "%s: %s" % (type(e).__name__, e))
        return fn
    return run


class Skip(Exception):
    pass


def eq(actual, expected, what):
    if actual != expected:
        raise AssertionError("%s: got %r, expected %r" % (what, actual, expected))


def error_code(fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    raise AssertionError("no error")


def fetch(url, **kw):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, **kw), timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


# checksums computed here, independent of the client and the node (slice-by-8 tables: 5 MiB in half a second)
def _tables(poly):
    t0 = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        t0.append(c)
    tables = [t0]
    for _ in range(7):
        prev = tables[-1]
        tables.append([(prev[i] >> 8) ^ t0[prev[i] & 0xFF] for i in range(256)])
    return tables


_CRC32C, _CRC64NVME = _tables(0x82F63B78), _tables(0x9A6C9329AC4BC9B5)


def _crc(tables, mask, data):
    t0, t1, t2, t3, t4, t5, t6, t7 = tables
    c = mask
    n = len(data) - len(data) % 8
    for (w,) in struct.iter_unpack("<Q", data[:n]):
        c ^= w
        c = (t7[c & 0xFF] ^ t6[(c >> 8) & 0xFF] ^ t5[(c >> 16) & 0xFF] ^ t4[(c >> 24) & 0xFF]
             ^ t3[(c >> 32) & 0xFF] ^ t2[(c >> 40) & 0xFF] ^ t1[(c >> 48) & 0xFF] ^ t0[c >> 56])
    for b in data[n:]:
        c = t0[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ mask


def raw_checksum(alg, data):
    if alg == "CRC32":
        return struct.pack(">I", zlib.crc32(data))
    if alg == "CRC32C":
        return struct.pack(">I", _crc(_CRC32C, 0xFFFFFFFF, data))
    if alg == "CRC64NVME":
        return struct.pack(">Q", _crc(_CRC64NVME, (1 << 64) - 1, data))
    return hashlib.new(alg.lower(), data).digest()


def b64(b):
    return base64.b64encode(b).decode()


assert _crc(_CRC64NVME, (1 << 64) - 1, b"123456789") == 0xAE8B14860A799888  # the check values
assert _crc(_CRC32C, 0xFFFFFFFF, b"123456789") == 0xE3069283

s3 = client()
B = "boto"
BIG = os.path.join(WORK, "boto-40m.bin")
with open(BIG, "wb") as f:
    f.write(os.urandom(40 * 1024 * 1024 + 4321))
BIG_BYTES = open(BIG, "rb").read()
META = {"color": "blue", "mixed-case": "V"}
report("ok", "boto3.version", "boto3 %s botocore %s" % (boto3.__version__, botocore.__version__))


@check("boto3.create-bucket")
def _():
    s3.create_bucket(Bucket=B)
    s3.head_bucket(Bucket=B)
    eq(B in [b["Name"] for b in s3.list_buckets()["Buckets"]], True, "listed")
    eq(error_code(lambda: s3.head_bucket(Bucket="no-such-bucket-here")), "404", "head missing bucket")


@check("boto3.put-get-head-delete-with-metadata")
def _():
    key = "a/b c+d.txt"
    s3.put_object(Bucket=B, Key=key, Body=b"hello world", ContentType="text/x-test", Metadata=META,
                  CacheControl="max-age=5", ContentDisposition="attachment", ContentLanguage="en")
    g = s3.get_object(Bucket=B, Key=key)
    eq(g["Body"].read(), b"hello world", "body")
    eq(g["ContentType"], "text/x-test", "content-type")
    eq(g["Metadata"], {"color": "blue", "mixed-case": "V"}, "metadata")
    eq((g.get("CacheControl"), g.get("ContentDisposition"), g.get("ContentLanguage")),
       ("max-age=5", "attachment", "en"), "standard headers")
    eq(g["ETag"], '"%s"' % hashlib.md5(b"hello world").hexdigest(), "etag")
    h = s3.head_object(Bucket=B, Key=key)
    eq((h["ContentLength"], h["ContentType"], h["Metadata"]), (11, "text/x-test", META), "head")
    s3.put_object(Bucket=B, Key="tmp/gone", Body=b"x")
    eq(s3.delete_object(Bucket=B, Key="tmp/gone")["ResponseMetadata"]["HTTPStatusCode"], 204, "delete")
    eq(error_code(lambda: s3.head_object(Bucket=B, Key="tmp/gone")), "404", "head after delete")
    eq(error_code(lambda: s3.get_object(Bucket=B, Key="tmp/gone")), "NoSuchKey", "get after delete")
    eq(s3.delete_object(Bucket=B, Key="tmp/never")["ResponseMetadata"]["HTTPStatusCode"], 204, "delete missing")
    s3.put_object(Bucket=B, Key="empty", Body=b"")
    eq(s3.get_object(Bucket=B, Key="empty")["Body"].read(), b"", "empty object")


@check("boto3.upload-download-file-40MiB-multipart")
def _():
    s3.upload_file(BIG, B, "big/forty.bin", ExtraArgs={"ContentType": "application/x-big", "Metadata": {"k": "v"}})
    h = s3.head_object(Bucket=B, Key="big/forty.bin")
    eq((h["ContentLength"], h["ContentType"], h["Metadata"]), (len(BIG_BYTES), "application/x-big", {"k": "v"}),
       "head")
    parts = -(-len(BIG_BYTES) // (8 << 20))  # s3transfer's default 8 MiB parts
    if not h["ETag"].endswith('-%d"' % parts):
        raise AssertionError("not a %d-part multipart ETag: %s" % (parts, h["ETag"]))
    down = os.path.join(WORK, "boto-40m.down")
    s3.download_file(B, "big/forty.bin", down)
    eq(open(down, "rb").read() == BIG_BYTES, True, "downloaded bytes")
    return h["ETag"]


@check("boto3.upload-download-file-5MiB-parts-concurrent")
def _():
    cfg = TransferConfig(multipart_threshold=5 << 20, multipart_chunksize=5 << 20, max_concurrency=4)
    s3.upload_file(BIG, B, "big/fivemib.bin", Config=cfg)
    down = os.path.join(WORK, "boto-5m.down")
    s3.download_file(B, "big/fivemib.bin", down, Config=cfg)  # ranged GETs in parallel
    eq(open(down, "rb").read() == BIG_BYTES, True, "downloaded bytes")
    buf = io.BytesIO()
    s3.upload_fileobj(io.BytesIO(b"z" * (9 << 20)), B, "big/fileobj.bin")
    s3.download_fileobj(B, "big/fileobj.bin", buf)
    eq(buf.getvalue() == b"z" * (9 << 20), True, "fileobj bytes")


@check("boto3.expect-100-continue-empty-then-nonempty-put")
def _():
    # botocore sends Expect: 100-continue on every PutObject. If the node answers an empty one without
    # "100 Continue", botocore misreads the next expecting request's answer on that connection and waits
    # for its read timeout (boto/botocore#3755): a 60 s stall per empty file in aws s3 cp --recursive.
    one = client(max_pool_connections=1, read_timeout=5, retries={"max_attempts": 1, "mode": "standard"})
    started = time.time()
    for i in range(3):
        one.put_object(Bucket=B, Key="expect/empty%d" % i, Body=io.BytesIO(b""))
        one.put_object(Bucket=B, Key="expect/full%d" % i, Body=io.BytesIO(b"data %d" % i))
    took = time.time() - started
    if took > 4:
        raise AssertionError("6 small PUTs on one connection took %.1fs (read-timeout stall)" % took)
    return "%.2fs" % took


@check("boto3.list-objects-v2-prefix-delimiter-paging")
def _():
    keys = ["l/a/1", "l/a/2", "l/b/1", "l/c", "l/d", "l/e/x/y", "l/\u00fc nicode", "l/sp ace", "l/x=y&z<>"]
    for k in keys:
        s3.put_object(Bucket=B, Key=k, Body=b"1")
    r = s3.list_objects_v2(Bucket=B, Prefix="l/", Delimiter="/")
    eq([c["Prefix"] for c in r.get("CommonPrefixes", [])], ["l/a/", "l/b/", "l/e/"], "common prefixes")
    eq([o["Key"] for o in r.get("Contents", [])], ["l/c", "l/d", "l/sp ace", "l/x=y&z<>", "l/\u00fc nicode"], "keys")
    got, token, pages = [], None, 0
    while True:
        kw = {"ContinuationToken": token} if token else {}
        r = s3.list_objects_v2(Bucket=B, Prefix="l/", MaxKeys=2, **kw)
        pages += 1
        eq(r["KeyCount"], len(r.get("Contents", [])), "KeyCount")
        got += [o["Key"] for o in r.get("Contents", [])]
        if not r["IsTruncated"]:
            break
        token = r["NextContinuationToken"]
    eq(got, sorted(keys, key=lambda k: k.encode()), "paged keys in UTF-8 order")
    eq(pages, 5, "pages of 2")
    items, token = [], None
    while True:
        kw = {"ContinuationToken": token} if token else {}
        r = s3.list_objects_v2(Bucket=B, Prefix="l/", Delimiter="/", MaxKeys=2, **kw)
        items += [c["Prefix"] for c in r.get("CommonPrefixes", [])] + [o["Key"] for o in r.get("Contents", [])]
        if not r["IsTruncated"]:
            break
        token = r["NextContinuationToken"]
    eq(sorted(items), sorted(["l/a/", "l/b/", "l/e/", "l/c", "l/d", "l/sp ace", "l/x=y&z<>", "l/\u00fc nicode"]),
       "paged with delimiter")
    n = sum(len(p.get("Contents", [])) for p in s3.get_paginator("list_objects_v2").paginate(
        Bucket=B, Prefix="l/", PaginationConfig={"PageSize": 3}))
    eq(n, len(keys), "v2 paginator")
    n = sum(len(p.get("Contents", [])) + len(p.get("CommonPrefixes", [])) for p in s3.get_paginator(
        "list_objects").paginate(Bucket=B, Prefix="l/", Delimiter="/", PaginationConfig={"PageSize": 2}))
    eq(n, 8, "v1 paginator with delimiter")
    eq([o["Key"] for o in s3.list_objects_v2(Bucket=B, Prefix="l/", StartAfter="l/c")["Contents"]][0], "l/d",
       "StartAfter")


@check("boto3.multipart-list-uploads-list-parts-abort")
def _():
    ids = [(("mp/k%d" % i), s3.create_multipart_upload(Bucket=B, Key="mp/k%d" % i)["UploadId"]) for i in range(3)]
    ids.append(("mp/k0", s3.create_multipart_upload(Bucket=B, Key="mp/k0")["UploadId"]))
    eq(len(s3.list_multipart_uploads(Bucket=B, Prefix="mp/")["Uploads"]), 4, "uploads")
    n = sum(len(p.get("Uploads", [])) for p in s3.get_paginator("list_multipart_uploads").paginate(
        Bucket=B, Prefix="mp/", PaginationConfig={"PageSize": 1}))
    eq(n, 4, "paged uploads")
    key, uid = ids[0]
    for i in range(1, 8):
        s3.upload_part(Bucket=B, Key=key, UploadId=uid, PartNumber=i, Body=b"p" * 10)
    parts = [p["PartNumber"] for pg in s3.get_paginator("list_parts").paginate(
        Bucket=B, Key=key, UploadId=uid, PaginationConfig={"PageSize": 2}) for p in pg.get("Parts", [])]
    eq(parts, list(range(1, 8)), "paged parts")
    for k, u in ids:
        s3.abort_multipart_upload(Bucket=B, Key=k, UploadId=u)
    eq(len(s3.list_multipart_uploads(Bucket=B, Prefix="mp/").get("Uploads", [])), 0, "after abort")
    eq(error_code(lambda: s3.list_parts(Bucket=B, Key=key, UploadId=uid)), "NoSuchUpload", "parts after abort")


@check("boto3.multipart-complete-and-get-part-number")
def _():
    p1, p2 = b"a" * (5 << 20), b"b" * 100
    uid = s3.create_multipart_upload(Bucket=B, Key="mp/manual", ContentType="x/y", Metadata={"m": "1"})["UploadId"]
    e1 = s3.upload_part(Bucket=B, Key="mp/manual", UploadId=uid, PartNumber=1, Body=p1)["ETag"]
    e2 = s3.upload_part(Bucket=B, Key="mp/manual", UploadId=uid, PartNumber=2, Body=p2)["ETag"]
    r = s3.complete_multipart_upload(Bucket=B, Key="mp/manual", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    eq(r["ETag"], '"%s-2"' % hashlib.md5(hashlib.md5(p1).digest() + hashlib.md5(p2).digest()).hexdigest(), "etag")
    h = s3.head_object(Bucket=B, Key="mp/manual")
    eq((h["ContentType"], h["Metadata"]), ("x/y", {"m": "1"}), "metadata from create")
    g = s3.get_object(Bucket=B, Key="mp/manual", PartNumber=2)
    eq((g["Body"].read(), g.get("PartsCount"), g["ContentRange"]),
       (p2, 2, "bytes %d-%d/%d" % (len(p1), len(p1) + 99, len(p1) + 100)), "part 2")
    h = s3.head_object(Bucket=B, Key="mp/manual", PartNumber=1)
    eq((h["ContentLength"], h.get("PartsCount")), (len(p1), 2), "head part 1")
    eq(s3.get_object(Bucket=B, Key="a/b c+d.txt", PartNumber=1)["Body"].read(), b"hello world", "single-part object")


@check("boto3.copy-object-and-upload-part-copy")
def _():
    r = s3.copy_object(Bucket=B, Key="copy/1", CopySource={"Bucket": B, "Key": "a/b c+d.txt"})
    g = s3.get_object(Bucket=B, Key="copy/1")
    eq((g["Body"].read(), g["Metadata"], g["ContentType"]), (b"hello world", META, "text/x-test"), "copy")
    s3.copy_object(Bucket=B, Key="copy/2", CopySource=B + "/a/b c+d.txt", MetadataDirective="REPLACE",
                   Metadata={"new": "x"}, ContentType="text/plain")
    h = s3.head_object(Bucket=B, Key="copy/2")
    eq((h["Metadata"], h["ContentType"]), ({"new": "x"}, "text/plain"), "copy with REPLACE")
    s3.copy({"Bucket": B, "Key": "big/forty.bin"}, B, "copy/big")  # managed: UploadPartCopy above 8 MiB
    eq(s3.head_object(Bucket=B, Key="copy/big")["ContentLength"], len(BIG_BYTES), "managed copy")
    uid = s3.create_multipart_upload(Bucket=B, Key="copy/parts")["UploadId"]
    c1 = s3.upload_part_copy(Bucket=B, Key="copy/parts", UploadId=uid, PartNumber=1, CopySourceRange="bytes=0-5242879",
                             CopySource={"Bucket": B, "Key": "big/forty.bin"})["CopyPartResult"]["ETag"]
    c2 = s3.upload_part_copy(Bucket=B, Key="copy/parts", UploadId=uid, PartNumber=2,
                             CopySource={"Bucket": B, "Key": "a/b c+d.txt"})["CopyPartResult"]["ETag"]
    s3.complete_multipart_upload(Bucket=B, Key="copy/parts", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": c1}, {"PartNumber": 2, "ETag": c2}]})
    eq(s3.get_object(Bucket=B, Key="copy/parts")["Body"].read() == BIG_BYTES[:5 << 20] + b"hello world", True,
       "upload part copy")
    return r["CopyObjectResult"]["ETag"]


@check("boto3.delete-objects")
def _():
    for i in range(5):
        s3.put_object(Bucket=B, Key="del/%d" % i, Body=b"z")
    r = s3.delete_objects(Bucket=B, Delete={"Objects": [{"Key": "del/%d" % i} for i in range(5)] + [{"Key": "del/no"}]})
    eq(sorted(d["Key"] for d in r["Deleted"]), ["del/%d" % i for i in range(5)] + ["del/no"], "deleted")
    eq(s3.list_objects_v2(Bucket=B, Prefix="del/")["KeyCount"], 0, "left")
    s3.put_object(Bucket=B, Key="del/q", Body=b"z")
    eq(s3.delete_objects(Bucket=B, Delete={"Objects": [{"Key": "del/q"}], "Quiet": True}).get("Deleted"), None, "quiet")


@check("boto3.presigned-urls-sigv4")
def _():
    v4 = client(signature_version="s3v4")
    url = v4.generate_presigned_url("get_object", Params={"Bucket": B, "Key": "a/b c+d.txt"}, ExpiresIn=300)
    status, _, body = fetch(url)
    eq((status, body), (200, b"hello world"), "presigned GET")
    url = v4.generate_presigned_url("put_object", Params={"Bucket": B, "Key": "pre/put.txt"}, ExpiresIn=300)
    eq(fetch(url, data=b"via presigned put", method="PUT")[0], 200, "presigned PUT")
    eq(s3.get_object(Bucket=B, Key="pre/put.txt")["Body"].read(), b"via presigned put", "presigned PUT body")
    url = v4.generate_presigned_url("put_object", ExpiresIn=300,
                                    Params={"Bucket": B, "Key": "pre/ct.txt", "ContentType": "text/plain"})
    eq(fetch(url, data=b"ct", method="PUT", headers={"Content-Type": "text/plain"})[0], 200, "presigned PUT, signed type")
    eq(s3.head_object(Bucket=B, Key="pre/ct.txt")["ContentType"], "text/plain", "content type")
    url = v4.generate_presigned_url("get_object", ExpiresIn=300, Params={
        "Bucket": B, "Key": "a/b c+d.txt", "ResponseContentType": "app/override",
        "ResponseContentDisposition": 'attachment; filename="x y.txt"'})
    status, headers, _ = fetch(url)
    eq((status, headers["Content-Type"], headers["Content-Disposition"]),
       (200, "app/override", 'attachment; filename="x y.txt"'), "response-* overrides")
    url = v4.generate_presigned_url("head_object", Params={"Bucket": B, "Key": "a/b c+d.txt"}, ExpiresIn=300)
    eq(fetch(url, method="HEAD")[:2][0], 200, "presigned HEAD")
    url = v4.generate_presigned_url("get_object", Params={"Bucket": B, "Key": "a/b c+d.txt"}, ExpiresIn=300)
    eq(fetch(url.replace("b%20c", "b%20C"))[0], 403, "tampered URL")


@check("boto3.presigned-url-default-signature")
def _():
    # botocore presigns with SigV2 by default in us-east-1 (and the other regions that had SigV2),
    # unless the client sets signature_version="s3v4". Tessera refuses SigV2.
    url = s3.generate_presigned_url("get_object", Params={"Bucket": B, "Key": "a/b c+d.txt"}, ExpiresIn=300)
    status, _, body = fetch(url)
    if status != 200:
        raise AssertionError("%d for %s: %s" % (status, url.split("?")[1][:40], body.decode()[:200]))


@check("boto3.conditional-put-if-none-match")
def _():
    c = client()
    if "IfNoneMatch" not in c.meta.service_model.operation_model("PutObject").input_shape.members:
        # botocore before 1.35 has no IfNoneMatch on PutObject: send the header by hand
        def flag(params, context, **kw):
            if params.pop("IfNoneMatch", None) == "*":
                context["if-none-match"] = True

        def header(request, **kw):
            if request.context.get("if-none-match"):
                request.headers["If-None-Match"] = "*"
        for op in ("PutObject", "CompleteMultipartUpload"):
            c.meta.events.register("before-parameter-build.s3." + op, flag)
            c.meta.events.register("before-sign.s3." + op, header)
    c.put_object(Bucket=B, Key="cond/1", Body=b"first", IfNoneMatch="*")
    eq(error_code(lambda: c.put_object(Bucket=B, Key="cond/1", Body=b"second", IfNoneMatch="*")),
       "PreconditionFailed", "second put")
    eq(c.get_object(Bucket=B, Key="cond/1")["Body"].read(), b"first", "kept")
    uid = c.create_multipart_upload(Bucket=B, Key="cond/1")["UploadId"]
    e1 = c.upload_part(Bucket=B, Key="cond/1", UploadId=uid, PartNumber=1, Body=b"q")["ETag"]
    eq(error_code(lambda: c.complete_multipart_upload(Bucket=B, Key="cond/1", UploadId=uid, IfNoneMatch="*",
                                                      MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}]})),
       "PreconditionFailed", "conditional complete")
    etag = c.head_object(Bucket=B, Key="cond/1")["ETag"]
    eq(error_code(lambda: c.get_object(Bucket=B, Key="cond/1", IfNoneMatch=etag)), "304", "If-None-Match GET")
    eq(error_code(lambda: c.get_object(Bucket=B, Key="cond/1", IfMatch='"0000"')), "PreconditionFailed", "If-Match")
    c.get_object(Bucket=B, Key="cond/1", IfMatch=etag)


@check("boto3.range-get")
def _():
    s3.put_object(Bucket=B, Key="r/1", Body=b"0123456789")
    g = s3.get_object(Bucket=B, Key="r/1", Range="bytes=2-5")
    eq((g["Body"].read(), g["ContentRange"], g["ResponseMetadata"]["HTTPStatusCode"]), (b"2345", "bytes 2-5/10", 206),
       "2-5")
    eq(s3.get_object(Bucket=B, Key="r/1", Range="bytes=-3")["Body"].read(), b"789", "suffix")
    eq(s3.get_object(Bucket=B, Key="r/1", Range="bytes=7-")["Body"].read(), b"789", "open")
    eq(s3.get_object(Bucket=B, Key="r/1", Range="bytes=8-100")["Body"].read(), b"89", "past the end")
    eq(error_code(lambda: s3.get_object(Bucket=B, Key="r/1", Range="bytes=20-30")), "InvalidRange", "unsatisfiable")
    eq(s3.get_object(Bucket=B, Key="big/forty.bin", Range="bytes=10485760-10485769")["Body"].read(),
       BIG_BYTES[10485760:10485770], "range inside a multipart object")


@check("boto3.checksum-algorithm-put-and-multipart")
def _():
    body = b"checksum me"
    unsupported = []
    for alg in ["CRC32", "CRC32C", "SHA1", "SHA256"]:
        try:
            r = s3.put_object(Bucket=B, Key="ck/" + alg, Body=body, ChecksumAlgorithm=alg)
        except botocore.exceptions.MissingDependencyException:  # CRC32C without awscrt
            unsupported.append(alg)
            continue
        eq(r.get("Checksum" + alg), b64(raw_checksum(alg, body)), alg + " put")
        h = s3.head_object(Bucket=B, Key="ck/" + alg, ChecksumMode="ENABLED")
        eq(h.get("Checksum" + alg), b64(raw_checksum(alg, body)), alg + " head")
        s3.get_object(Bucket=B, Key="ck/" + alg, ChecksumMode="ENABLED")["Body"].read()  # validated by botocore
    cfg = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20)
    s3.upload_file(BIG, B, "ck/mpu-crc32", ExtraArgs={"ChecksumAlgorithm": "CRC32"}, Config=cfg)
    parts = [BIG_BYTES[i:i + (8 << 20)] for i in range(0, len(BIG_BYTES), 8 << 20)]
    want = b64(raw_checksum("CRC32", b"".join(raw_checksum("CRC32", p) for p in parts))) + "-%d" % len(parts)
    eq(s3.head_object(Bucket=B, Key="ck/mpu-crc32", ChecksumMode="ENABLED").get("ChecksumCRC32"), want, "composite")
    return "client cannot compute %s" % unsupported if unsupported else None


@check("boto3.checksum-crc64nvme-and-bad-digests")
def _():
    extra = {}
    retries = {"max_attempts": 0}  # botocore retries BadDigest (a body spoiled in transit) with backoff
    try:  # botocore 1.36+ adds a CRC32 of its own unless told not to; older ones know no such option
        c = client(retries=retries, request_checksum_calculation="when_required")
    except TypeError:
        c = client(retries=retries)

    def inject(request, **kw):
        for name, value in extra.items():
            del request.headers[name]
            request.headers[name] = value
    c.meta.events.register("before-sign.s3", inject)
    body = b"checksum body\n"
    want = b64(raw_checksum("CRC64NVME", body))
    extra = {"x-amz-checksum-crc64nvme": want}
    eq(c.put_object(Bucket=B, Key="ck/crc64", Body=body)["ResponseMetadata"]["HTTPHeaders"].get(
        "x-amz-checksum-crc64nvme"), want, "put")
    extra = {"x-amz-checksum-mode": "ENABLED"}
    eq(c.head_object(Bucket=B, Key="ck/crc64")["ResponseMetadata"]["HTTPHeaders"].get("x-amz-checksum-crc64nvme"),
       want, "head")
    for alg in ["CRC64NVME", "CRC32", "CRC32C", "SHA1", "SHA256"]:
        extra = {"x-amz-checksum-" + alg.lower(): b64(raw_checksum(alg, b"other"))}
        eq(error_code(lambda: c.put_object(Bucket=B, Key="ck/bad", Body=body)), "BadDigest", "wrong " + alg)
    data = BIG_BYTES[:12 << 20]
    extra = {"x-amz-checksum-algorithm": "CRC64NVME", "x-amz-checksum-type": "FULL_OBJECT"}
    uid = c.create_multipart_upload(Bucket=B, Key="ck/crc64-mpu")["UploadId"]
    etags = []
    for i, off in enumerate(range(0, len(data), 6 << 20)):
        extra = {"x-amz-checksum-crc64nvme": b64(raw_checksum("CRC64NVME", data[off:off + (6 << 20)]))}
        etags.append(c.upload_part(Bucket=B, Key="ck/crc64-mpu", UploadId=uid, PartNumber=i + 1,
                                   Body=data[off:off + (6 << 20)])["ETag"])
    whole = b64(raw_checksum("CRC64NVME", data))
    extra = {"x-amz-checksum-crc64nvme": whole, "x-amz-checksum-type": "FULL_OBJECT"}
    c.complete_multipart_upload(Bucket=B, Key="ck/crc64-mpu", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})
    extra = {"x-amz-checksum-mode": "ENABLED"}
    h = c.head_object(Bucket=B, Key="ck/crc64-mpu")["ResponseMetadata"]["HTTPHeaders"]
    eq((h.get("x-amz-checksum-crc64nvme"), h.get("x-amz-checksum-type")), (whole, "FULL_OBJECT"), "full object")


@check("boto3.virtual-hosted-style")
def _():
    v = client(VHOST_EP, "virtual")
    vb = "boto-vhost"
    v.create_bucket(Bucket=vb)
    v.put_object(Bucket=vb, Key="dir/k y", Body=b"vhost", ContentType="text/v", Metadata={"m": "1"})
    g = v.get_object(Bucket=vb, Key="dir/k y")
    eq((g["Body"].read(), g["ContentType"], g["Metadata"]), (b"vhost", "text/v", {"m": "1"}), "get")
    eq([o["Key"] for o in v.list_objects_v2(Bucket=vb, Prefix="dir/")["Contents"]], ["dir/k y"], "list")
    cfg = TransferConfig(multipart_threshold=5 << 20, multipart_chunksize=5 << 20)
    v.upload_fileobj(io.BytesIO(BIG_BYTES[:11 << 20]), vb, "big", Config=cfg)
    buf = io.BytesIO()
    v.download_fileobj(vb, "big", buf, Config=cfg)
    eq(buf.getvalue() == BIG_BYTES[:11 << 20], True, "multipart bytes")
    v.copy_object(Bucket=vb, Key="copy", CopySource={"Bucket": vb, "Key": "dir/k y"})
    url = client(VHOST_EP, "virtual", signature_version="s3v4").generate_presigned_url(
        "get_object", Params={"Bucket": vb, "Key": "dir/k y"}, ExpiresIn=60)
    if not url.startswith("http://%s.localhost:" % vb):
        raise AssertionError("not a virtual-hosted URL: " + url)
    eq(fetch(url)[2], b"vhost", "presigned")
    v.delete_objects(Bucket=vb, Delete={"Objects": [{"Key": k} for k in ("dir/k y", "big", "copy")]})
    v.delete_bucket(Bucket=vb)
    eq(error_code(lambda: v.head_bucket(Bucket=vb)), "404", "deleted")


@check("boto3.delete-bucket")
def _():
    eq(error_code(lambda: s3.delete_bucket(Bucket=B)), "BucketNotEmpty", "non-empty")
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=B):
        if page.get("Contents"):
            s3.delete_objects(Bucket=B, Delete={"Objects": [{"Key": o["Key"]} for o in page["Contents"]]})
    for u in s3.list_multipart_uploads(Bucket=B).get("Uploads", []):
        s3.abort_multipart_upload(Bucket=B, Key=u["Key"], UploadId=u["UploadId"])
    s3.delete_bucket(Bucket=B)
    eq(error_code(lambda: s3.head_bucket(Bucket=B)), "404", "gone")
