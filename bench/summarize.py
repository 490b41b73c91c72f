#!/usr/bin/env python3
"""Turns a JMH JSON result of bench/run.sh into the README's tables (markdown on stdout).

usage: bench/summarize.py bench/target/jmh-all-<stamp>.json
MB/s are decimal (10^6 bytes); JMH's 'mib' counter is MiB/s and is converted here.
"""
import json
import sys

MIB_TO_MB = 1.048576


def fmt(score, err):
    if err != err or err is None:  # NaN: fewer than 2 iterations
        return f"{score:,.1f}"
    return f"{score:,.1f} ± {err:,.1f}"


def main(path):
    rows = json.load(open(path))
    mbps, ops, lat = {}, {}, {}
    for r in rows:
        name = r["benchmark"].replace("io.tessera.bench.", "")
        cls, method = name.rsplit(".", 1)
        params = r.get("params", {})
        threads = r["threads"]
        pm = r["primaryMetric"]
        n = len(pm.get("rawData", [[]])[0])
        forks = len(pm.get("rawData", []))
        if "mib" in r.get("secondaryMetrics", {}):
            m = r["secondaryMetrics"]["mib"]
            key = (cls, params.get("path", params.get("writer", "")), int(params["partMiB"]), threads)
            mbps[key] = (m["score"] * MIB_TO_MB, m["scoreError"] * MIB_TO_MB, forks, n)
        elif pm["scoreUnit"] == "ops/s":
            ops[(cls, params.get("maxWriteLanes", ""), threads)] = (pm["score"], pm["scoreError"], forks, n)
        else:
            lat[(method, int(params["parts"]))] = (pm["score"], pm["scoreError"], pm["scoreUnit"], forks, n)

    raw = {(size, t): v for (cls, _, size, t), v in mbps.items() if cls.endswith("RawWriteBench")}
    if raw or any(k[0].endswith("PartAppendBench") for k in mbps):
        print("| part | threads | raw suite (RawWriteBench), MB/s | raw, run next to the engine, MB/s "
              "| engine UploadPart, MB/s | engine / raw next to it |")
        print("|---|---|---|---|---|---|")
        for size in (8, 64):
            for t in (1, 2):
                r = raw.get((size, t))
                n = mbps.get(("engine.PartAppendBench", "raw", size, t))
                e = mbps.get(("engine.PartAppendBench", "engine", size, t))
                ratio = f"{e[0] / n[0]:.0%}" if n and e else "—"
                cells = [fmt(*v[:2]) if v else "—" for v in (r, n, e)]
                print(f"| {size} MiB | {t} | {cells[0]} | {cells[1]} | {cells[2]} | {ratio} |")
        print()
    body = {k: v for k, v in mbps.items() if k[0].endswith("BodyPathBench")}
    if body:
        print("| part | threads | FileChannel + fdatasync, MB/s | MappedBytes + msync(MS_SYNC), MB/s | mapped / channel |")
        print("|---|---|---|---|---|")
        for size in (8, 64):
            for t in (1, 2):
                c = body.get(("segment.BodyPathBench", "channel", size, t))
                m = body.get(("segment.BodyPathBench", "mapped", size, t))
                ratio = f"{m[0] / c[0]:.0%}" if c and m else "—"
                print(f"| {size} MiB | {t} | {fmt(*c[:2]) if c else '—'} | {fmt(*m[:2]) if m else '—'} | {ratio} |")
        print()
    if lat:
        print("| parts | complete | abort |")
        print("|---|---|---|")
        for parts in sorted({p for _, p in lat}):
            cells = []
            for method in ("complete", "abort"):
                v = lat.get((method, parts))
                cells.append(f"{fmt(v[0], v[1])} {v[2]}" if v else "—")
            print(f"| {parts:,} | {cells[0]} | {cells[1]} |")
        print()
    if ops:
        print("| threads | write lanes | 4 KiB PutObject/s |")
        print("|---|---|---|")
        for (cls, lanes, t), v in sorted(ops.items(), key=lambda kv: (kv[0][2], -int(kv[0][1] or 0))):
            print(f"| {t} | {lanes} | {fmt(*v[:2])} |")
        print()
    counts = {(f, n) for v in list(mbps.values()) + list(ops.values()) for f, n in [v[-2:]]}
    counts |= {(v[3], v[4]) for v in lat.values()}
    print("Forks × measurement iterations: " + ", ".join(f"{f} × {n}" for f, n in sorted(counts)) + ".")


if __name__ == "__main__":
    main(sys.argv[1])
