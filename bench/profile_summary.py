#!/usr/bin/env python3
"""Where a node's CPU went, by category, from async-profiler's collapsed stacks (bench/profile.sh).

    bench/profile_summary.py bench/target/profile/<time>.collapsed [--cpu-s-per-gb X]

Every sample is put in the first category whose rule matches, tried in the order below: compiler and
GC threads by thread name, then the hashes and the system calls by the innermost frame, then RocksDB
anywhere in the stack, then the rest by thread (event loops, engine I/O threads, other). Shares are of
all samples except the JIT compiler's, which fade as the node warms up. With --cpu-s-per-gb (the
node's CPU-s/GB from the load driver's table for the same run) the shares are also given in CPU-s/GB.
"""
import argparse
import collections

# (category, where to look, substrings); where: "thread", "leaf" (innermost frame) or "stack".
RULES = [
    ("JIT compiler threads", "thread", ("CompilerThre",)),
    ("GC threads", "thread", ("GC Thread", "G1 ", "VM Thread")),
    ("MD5", "leaf", ("md5_implCompress", "MD5.implCompress")),
    ("SHA-256", "leaf", ("sha256_implCompress", "SHA2.implCompress")),
    ("CRC32 / CRC32C", "leaf", ("updateBytesCRC32", "CRC32C.update", "CRC32.update")),
    ("socket receive (copy from the kernel)", "leaf", ("recv", "__GI___libc_read", "readv")),
    ("socket send / sendfile", "leaf", ("send", "writev", "sendfile")),
    ("file write (page cache copy; also log lines)", "leaf", ("pwrite", "__GI_write")),
    ("fdatasync / fsync", "leaf", ("fdatasync", "fsync")),
    ("epoll wait", "leaf", ("epoll_wait", "epoll_pwait")),
    ("RocksDB", "stack", ("rocksdb", "RocksDB")),
    ("memory copies (arraycopy, memcpy)", "leaf", ("arraycopy", "memcpy", "memmove")),
    ("event loops (HTTP, TLS, SigV4, dispatch)", "thread", ("tessera-net",)),
    ("engine I/O threads (decoding, engine, hand-offs)", "thread", ("tessera-io",)),
]
OTHER = "everything else"


def classify(frames):
    thread = frames[0]
    leaf = frames[-1]
    for name, where, needles in RULES:
        if where == "thread":
            hay = thread
        elif where == "leaf":
            hay = leaf
        else:
            hay = ";".join(frames)
        if any(n in hay for n in needles):
            return name
    return OTHER


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("collapsed")
    p.add_argument("--cpu-s-per-gb", type=float, help="the node's CPU-s/GB in the same run")
    args = p.parse_args()
    counts = collections.Counter()
    for line in open(args.collapsed, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if not line:
            continue
        stack, _, n = line.rpartition(" ")
        counts[classify(stack.split(";"))] += int(n)
    jit = counts.pop("JIT compiler threads", 0)
    total = sum(counts.values())
    if total == 0:
        print("no samples outside the JIT compiler")
        return
    print(f"{total} samples, plus {jit} in JIT compiler threads"
          f" ({100.0 * jit / (total + jit):.1f} % of all, left out below)")
    header = f"{'category':52} {'share':>7}"
    if args.cpu_s_per_gb:
        header += f" {'CPU-s/GB':>9}"
    print(header)
    for name, n in counts.most_common():
        row = f"{name:52} {100.0 * n / total:6.1f}%"
        if args.cpu_s_per_gb:
            row += f" {args.cpu_s_per_gb * n / total:9.2f}"
        print(row)


if __name__ == "__main__":
    main()
