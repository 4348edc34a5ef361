#!/usr/bin/env python3
"""bench.py: throughput / peak-RSS benchmark of rdblens against redis-check-rdb
and `cat` (the floor). Called by tools/bench.sh (`make bench`).

  bench.py RDBLENS [--runs N] [--only NAME,NAME]

Environment: BENCH_SIZES=small skips the ~1 GB dump; BENCH_RUNS (default 5);
BENCH_DIR (default build/bench, relative to the repository root); BENCH_ONLY
(comma-separated dump names).

Dumps are generated once with tools/gen_dataset.py (a real redis-server) and
cached in BENCH_DIR with a meta file; they are regenerated only when the
generator's version, seed or scale changed. For every dump: one
warm-up run of each tool, then N rounds of timed runs, each tool once per
round (so all tools' runs span the same time on a machine whose speed
drifts), each round starting one tool further on (so no tool always runs
after the same one); the table shows the median wall time, MB/s
(MB = 10^6 bytes; "in MB/s" counts the file as read, compressed or not),
keys/s, the speed relative to redis-check-rdb and to
`cat FILE > /dev/null` (>1 = faster), median CPU time, and the peak RSS: the
largest "Maximum resident set size" /usr/bin/time reports over the runs.
Output goes to /dev/null. Results: BENCH_DIR/results.md and results.json.

`report` runs twice per dump: with its default two threads (parse + model,
aggregate) and with --threads 1. After the table come the two targets of
issue 18: `report --format json` at least 6x redis-check-rdb on both mixed
dumps, and its peak RSS flat: at most 32 MiB on the 1 GB dump, the 5M-member
zset and the 500 MB string (so is `check`'s, on all four), and within the prefix table's budget on the
dump of a million distinct prefixes: the same report run with a prefix table
of 1,000 nodes (what every report holds besides the table) plus
PREFIX_NODE_BYTES per node of the default budget (PREFIX_NODE_BYTES below).
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import gen_dataset  # noqa: E402

# name, dataset, scale, what it is; "big" ones are skipped with BENCH_SIZES=small
DUMPS = [
    ("mixed-100mb", "mixed", 1.0, False),
    ("mixed-1gb", "mixed", 8.5, True),
    ("strings", "strings", 1.0, False),
    ("huge-zset", "huge-zset", 1.0, False),
    ("prefixes", "prefixes", 1.0, False),
    ("big-string", "big-string", 1.0, True),
]

# Issue 18's targets (see the docstring).
SPEED_TARGET = 6.0
RSS_BOUND_MIB = 32
# The prefix table holds at most --prefix-budget nodes (200,000 by default).
# A node costs 204 bytes on the million-prefix dump: its row (counts and
# per-type bytes), a name of 8 or 16 bytes, malloc's header, its vector entry
# and hash slots (analyze/agg_prefix.c); measured as the slope of peak RSS
# over --prefix-budget 100,000 / 200,000 / 400,000 (README, "Memory"). The
# bound is the same report with --prefix-budget 1000 (the reader's block,
# the record queue, the top-N heaps: 7.8 MiB with one thread, 9.8 with two)
# plus 208 bytes per node of the default budget.
PREFIX_BUDGET = 200000
PREFIX_BASE_BUDGET = 1000
PREFIX_NODE_BYTES = 208
SEED = 1


# Compressed copies of these dumps are benchmarked too (made once by the
# real tools, cached beside the dump): report MB/s of compressed input and
# of RDB bytes.
COMPRESSED = {"mixed-100mb": [("zst", ["zstd", "-q", "-3", "-c"]), ("gz", ["gzip", "-6", "-c"])]}


def compressed_copy(path, ext, cmd):
    out = path + "." + ext
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(path):
        print("bench: compressing %s (%s) ..." % (os.path.basename(path), ext), file=sys.stderr,
              flush=True)
        with open(out + ".tmp", "wb") as f:
            subprocess.run(cmd + [path], stdout=f, check=True)
        os.replace(out + ".tmp", out)
    return out


def tools_for(rdblens, path, name):
    """(row name, command, the file it reads: MB/s of input)."""
    rows = [
        ("rdblens check", [rdblens, "check", path], path),
        ("rdblens keys csv", [rdblens, "keys", "--format", "csv", path], path),
        ("rdblens report json", [rdblens, "report", "--format", "json", path], path),
        ("rdblens report json, 1 thread", [rdblens, "report", "--format", "json", "--threads", "1",
                                          path], path),
        # the progress line forced on (stderr to a pipe): its cost
        ("report json --progress", [rdblens, "report", "--format", "json", "--progress", path], path),
        ("redis-check-rdb", ["redis-check-rdb", path], path),
        ("cat (floor)", ["cat", path], path),
    ]
    if name == "prefixes":
        # the base of the prefix table's memory bound (see PREFIX_NODE_BYTES)
        for label, threads in (("", "2"), (", 1 thread", "1")):
            rows.append(("report json, budget %d%s" % (PREFIX_BASE_BUDGET, label),
                         [rdblens, "report", "--format", "json", "--threads", threads,
                          "--prefix-budget", str(PREFIX_BASE_BUDGET), path], path))
    for ext, cmd in COMPRESSED.get(name, []):
        z = compressed_copy(path, ext, cmd)
        rows.append(("report json ." + ext, [rdblens, "report", "--format", "json", z], z))
    return rows


TIME = "/usr/bin/time"


def run_once(cmd, tmp):
    """(wall seconds, cpu seconds, max rss KiB, exit status, stderr tail).

    The tool runs under /usr/bin/time, which reports its "Maximum resident
    set size" (%M): forked from this (large) python process directly, the
    child's ru_maxrss would start at python's size, as Linux keeps the
    high-water mark across execve. Wall time is measured around it here; CPU
    time is the rusage of /usr/bin/time and the tool it waited for."""
    use_time = os.access(TIME, os.X_OK)
    full = [TIME, "-f", "%M %x", "-o", tmp, "--"] + cmd if use_time else cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    err = p.stderr.read()  # small: tools print errors only
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = rc = os.waitstatus_to_exitcode(status)
    rss = ru.ru_maxrss
    if use_time:
        try:
            with open(tmp) as f:
                last = f.read().strip().splitlines()[-1].split()
            rss, rc = int(last[0]), int(last[1])
        except (OSError, ValueError, IndexError):
            pass
    return (wall, ru.ru_utime + ru.ru_stime, rss, rc,
            err.decode(errors="replace").strip().splitlines()[-1:] or [""])


def ensure_dump(bench_dir, name, dataset, scale):
    path = os.path.join(bench_dir, name + ".rdb")
    meta_path = path + ".meta.json"
    want = {"dataset": dataset, "seed": SEED, "scale": scale,
            "gen_version": gen_dataset.GEN_VERSION}
    try:
        with open(meta_path) as f:
            meta = json.load(f)
        if all(meta.get(k) == v for k, v in want.items()) and \
                os.path.getsize(path) == meta.get("file_size"):
            return path, meta
    except (OSError, ValueError):
        pass
    # the dump (about 120 MB per unit of scale for "mixed") plus headroom
    need = int(2.5e8 * scale) if dataset == "mixed" else int(5e8)
    free = shutil.disk_usage(bench_dir).free
    if free < need:
        raise SystemExit("bench: %s needs about %.1f GB free in %s, %.1f GB free"
                         % (name, need / 1e9, bench_dir, free / 1e9))
    print("bench: generating %s (%s, scale %g) ..." % (name, dataset, scale), file=sys.stderr,
          flush=True)
    meta = gen_dataset.generate(dataset, path, SEED, scale, meta_path)
    return path, meta


def fmt_size(n):
    for unit, div in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= div:
            return "%.1f %s" % (n / div, unit)
    return "%d B" % n


def fmt_rate(x):
    if x >= 1e6:
        return "%.2fM" % (x / 1e6)
    if x >= 1e3:
        return "%.0fk" % (x / 1e3)
    return "%.0f" % x


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = 0
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return "%s, %d cores, %.0f GiB RAM, Linux %s" % (cpu, os.cpu_count() or 0, mem / 2**30,
                                                  platform.release())


def targets(results):
    """Lines judging issue 18's speed and memory targets on what was run."""
    def row(res, tool):
        return next((r for r in res["tools"] if r["tool"] == tool and r["status"] == "ok"), None)
    lines = ["", "targets (issue 18):"]
    for res in results:
        name = res["file"]
        if name.startswith("mixed"):
            for tool in ("rdblens report json", "rdblens report json, 1 thread"):
                r = row(res, tool)
                if r and r.get("vs_check_rdb"):
                    x = r["vs_check_rdb"]
                    lines.append("  %-12s %-30s %5.2fx redis-check-rdb  %s (>= %.0fx)" % (
                        name, tool, x, "ok" if x >= SPEED_TARGET else "MISSED", SPEED_TARGET))
        if name in ("mixed-1gb", "huge-zset", "big-string", "prefixes"):
            for tool, base_tool in (("rdblens report json",
                                     "report json, budget %d" % PREFIX_BASE_BUDGET),
                                    ("rdblens report json, 1 thread",
                                     "report json, budget %d, 1 thread" % PREFIX_BASE_BUDGET),
                                    ("rdblens check", None)):
                r = row(res, tool)
                if not r:
                    continue
                mib = r["peak_rss_kib"] / 1024
                bound, why = RSS_BOUND_MIB, "%d MiB" % RSS_BOUND_MIB
                if name == "prefixes" and base_tool:
                    b = row(res, base_tool)
                    if not b:
                        continue
                    base = b["peak_rss_kib"] / 1024
                    bound = base + (PREFIX_BUDGET - PREFIX_BASE_BUDGET) * PREFIX_NODE_BYTES / 2**20
                    why = "%.1f MiB: %.1f MiB base + %d B x %d nodes, the prefix budget" % (
                        bound, base, PREFIX_NODE_BYTES, PREFIX_BUDGET - PREFIX_BASE_BUDGET)
                lines.append("  %-12s %-30s peak RSS %6.1f MiB  %s (<= %s)" % (
                    name, tool, mib, "ok" if mib <= bound else "MISSED", why))
    return lines if len(lines) > 2 else []


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="rdblens benchmark")
    ap.add_argument("rdblens")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    ap.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""))
    a = ap.parse_args(argv)
    rdblens = os.path.abspath(a.rdblens)
    if not os.access(rdblens, os.X_OK):
        raise SystemExit("bench: %s is not an executable" % a.rdblens)
    small = os.environ.get("BENCH_SIZES", "full") == "small"
    bench_dir = os.path.join(ROOT, os.environ.get("BENCH_DIR", os.path.join("build", "bench")))
    os.makedirs(bench_dir, exist_ok=True)
    only = set(x for x in a.only.split(",") if x)

    dumps = [d for d in DUMPS if (not small or not d[3]) and (not only or d[0] in only)]
    files = []
    for name, dataset, scale, _big in dumps:
        path, meta = ensure_dump(bench_dir, name, dataset, scale)
        files.append((name, path, meta))

    results = []
    for name, path, meta in files:
        size = os.path.getsize(path)
        keys = meta["keys_total"]
        rows = {}
        # One warm-up each (page cache), then the timed runs in rounds, every
        # tool once per round: on a shared machine whose speed drifts over
        # minutes, each tool's runs then span the same stretch of time, and
        # the ratios between tools (x check-rdb) compare like with like.
        tools = tools_for(rdblens, path, name)
        tmp = os.path.join(bench_dir, ".time.out")
        runs = {tool: [] for tool, _cmd, _in in tools}
        failed = {}
        for tool, cmd, _in in tools:
            print("bench: %s / %s (warm-up) ..." % (name, tool), file=sys.stderr, flush=True)
            wall, cpu, rss, rc, err = run_once(cmd, tmp)
            if rc != 0:
                failed[tool] = (rc, err)
        for i in range(a.runs):
            print("bench: %s: round %d of %d ..." % (name, i + 1, a.runs), file=sys.stderr, flush=True)
            # each round starts one tool further on: a tool's place in the
            # round matters (a report right after `keys csv` ran 10-20 %
            # slower here than the same report elsewhere in the round), and
            # rotating gives every tool every place
            k = i % len(tools)
            for tool, cmd, _in in tools[k:] + tools[:k]:
                if tool in failed:
                    continue
                r = run_once(cmd, tmp)
                if r[3] != 0:
                    failed[tool] = (r[3], r[4])
                    continue
                runs[tool].append(r)
        for tool, cmd, input_path in tools:
            if tool in failed:
                rc, err = failed[tool]
                rows[tool] = {"tool": tool, "status": "exit %d" % rc, "error": err[0][:100]}
                continue
            med = statistics.median(r[0] for r in runs[tool])
            rows[tool] = {
                "tool": tool, "status": "ok", "runs": len(runs[tool]),
                "median_s": med, "min_s": min(r[0] for r in runs[tool]),
                "cpu_s": statistics.median(r[1] for r in runs[tool]),
                "peak_rss_kib": max(r[2] for r in runs[tool]),
                "mb_per_s": size / 1e6 / med, "keys_per_s": keys / med,
                "input_size": os.path.getsize(input_path),
                "in_mb_per_s": os.path.getsize(input_path) / 1e6 / med,
            }
        ref = rows.get("redis-check-rdb", {}).get("median_s")
        floor = rows.get("cat (floor)", {}).get("median_s")
        for r in rows.values():
            if r["status"] == "ok":
                r["vs_check_rdb"] = ref / r["median_s"] if ref else None
                r["vs_floor"] = floor / r["median_s"] if floor else None
        results.append({"file": name, "path": os.path.relpath(path, ROOT), "size": size,
                        "keys": keys, "dataset": meta.get("dataset"), "scale": meta.get("scale"),
                        "tools": list(rows.values())})

    header = ["file", "size", "keys", "tool", "median s", "MB/s", "in MB/s", "keys/s",
              "x check-rdb", "x floor", "cpu s", "peak RSS"]
    table = []
    notes = []
    for res in results:
        for r in res["tools"]:
            if r["status"] != "ok":
                table.append([res["file"], fmt_size(res["size"]), fmt_rate(res["keys"]), r["tool"],
                              "FAIL", "-", "-", "-", "-", "-", "-", "-"])
                notes.append("FAIL %s / %s: %s: %s" % (res["file"], r["tool"], r["status"],
                                                      r.get("error", "")))
                continue
            table.append([
                res["file"], fmt_size(res["size"]), fmt_rate(res["keys"]), r["tool"],
                "%.3f" % r["median_s"], "%.0f" % r["mb_per_s"], "%.0f" % r["in_mb_per_s"],
                fmt_rate(r["keys_per_s"]),
                "%.2f" % r["vs_check_rdb"] if r.get("vs_check_rdb") else "-",
                "%.3f" % r["vs_floor"] if r.get("vs_floor") else "-",
                "%.3f" % r["cpu_s"], "%.1f MiB" % (r["peak_rss_kib"] / 1024)])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *table)] if table else []
    right = {1, 2, 4, 5, 6, 7, 8, 9, 10, 11}

    def line(cells):
        return "| " + " | ".join(
            (str(c).rjust(w) if i in right else str(c).ljust(w))
            for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    out = []
    out.append("rdblens benchmark, %s; median of %d runs (in rotating rounds, each tool once per round) after a warm-up, dumps in page cache"
               % (time.strftime("%Y-%m-%d"), a.runs))
    out.append("machine: %s" % machine())
    out.append("")
    if table:
        out.append(line(header))
        out.append("|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2))
                                  for i, w in enumerate(widths)) + "|")
        for row in table:
            out.append(line(row))
    out.append("")
    out.append("x check-rdb / x floor: speed relative to redis-check-rdb / `cat FILE > /dev/null` "
               "(>1 = faster); peak RSS: /usr/bin/time's maximum resident set size, max of the runs.")
    out.append("MB/s: RDB bytes per second; in MB/s: bytes of the file read (compressed, for "
               ".zst / .gz rows).")
    for res in results:   # the progress line's cost, against the same report without it
        t = {r["tool"]: r for r in res["tools"] if r["status"] == "ok"}
        if "rdblens report json" in t and "report json --progress" in t:
            base, prog = t["rdblens report json"], t["report json --progress"]
            out.append("progress cost on %s: %+.1f %% wall, %+.1f %% cpu" % (
                res["file"], 100 * (prog["median_s"] / base["median_s"] - 1),
                100 * (prog["cpu_s"] / base["cpu_s"] - 1)))
    out += notes
    out += targets(results)
    text = "\n".join(out)
    print(text)
    with open(os.path.join(bench_dir, "results.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(bench_dir, "results.json"), "w") as f:
        json.dump({"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                   "machine": machine(), "runs": a.runs, "results": results}, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
