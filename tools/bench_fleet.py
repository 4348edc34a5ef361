#!/usr/bin/env python3
"""bench_fleet.py: the nightly-review and fleet commands, timed (make bench
runs it after bench.py, on the same cached dumps):

  - diff of the two mixed dumps, the ~1 GB one as OLD (its 4.84M keys fill
    the churn table), with and without churn: time and peak RSS, and the
    churn table's cost per key of OLD (RSS with churn - without, / keys);
  - report -j 1 (with --threads 1 and with its default two threads) and
    -j 2 over two ~100 MB dumps: the speed-up, and its ceiling on this
    machine (the machine has 2 cores and other work may share them: the
    number is noisy);
  - merge of 100 saved JSON reports of the ~100 MB dump.

  bench_fleet.py RDBLENS          (BENCH_SIZES=small: no ~1 GB dump; BENCH_RUNS)

Results: BENCH_DIR/fleet.md and fleet.json.
"""

import json
import os
import shutil
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import bench  # noqa: E402


def timed(cmd, runs, tmp):
    bench.run_once(cmd, tmp)  # warm-up
    rs = [bench.run_once(cmd, tmp) for _ in range(runs)]
    bad = [r for r in rs if r[3] != 0]
    if bad:
        raise SystemExit("bench_fleet: %s exited %d: %s" % (" ".join(cmd), bad[0][3], bad[0][4]))
    return {"median_s": statistics.median(r[0] for r in rs), "cpu_s": statistics.median(r[1] for r in rs),
            "peak_rss_kib": max(r[2] for r in rs), "runs": runs}


def main(argv):
    rdblens = os.path.abspath(argv[0])
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    small = os.environ.get("BENCH_SIZES", "full") == "small"
    bdir = os.path.join(bench.ROOT, os.environ.get("BENCH_DIR", os.path.join("build", "bench")))
    os.makedirs(bdir, exist_ok=True)
    tmp = os.path.join(bdir, ".time.out")
    m100, meta100 = bench.ensure_dump(bdir, "mixed-100mb", "mixed", 1.0)
    m100b = os.path.join(bdir, "mixed-100mb-copy.rdb")
    if not os.path.exists(m100b) or os.path.getsize(m100b) != os.path.getsize(m100):
        shutil.copyfile(m100, m100b)
    out, res = [], {}

    def row(name, r, extra=""):
        out.append("| %s | %.2f s | %.2f s | %.1f MiB | %s |" % (name, r["median_s"], r["cpu_s"],
                                                                   r["peak_rss_kib"] / 1024, extra))

    out.append("rdblens fleet/nightly benchmark, %s; median of %d runs after a warm-up" % (
        time.strftime("%Y-%m-%d"), runs))
    out.append("machine: %s (shared with other work: wall times are noisy)" % bench.machine())
    out.append("")
    out.append("| what | wall | cpu | peak RSS | note |")
    out.append("|---|---:|---:|---:|---|")

    if not small:
        m1g, meta1g = bench.ensure_dump(bdir, "mixed-1gb", "mixed", 8.5)
        keys_old = meta1g["keys_total"]
        druns = max(1, min(runs, 3))
        base = timed([rdblens, "report", "-f", "json", m1g], druns, tmp)
        row("report mixed-1gb", base)
        c = timed([rdblens, "diff", "-f", "json", m1g, m100], druns, tmp)
        n = timed([rdblens, "diff", "-f", "json", "--no-churn", m1g, m100], druns, tmp)
        per_key = (c["peak_rss_kib"] - n["peak_rss_kib"]) * 1024 / keys_old
        row("diff mixed-1gb mixed-100mb (churn)", c, "churn: %.1f B per old key (%d keys)" % (per_key, keys_old))
        row("diff mixed-1gb mixed-100mb --no-churn", n)
        res["diff"] = {"churn": c, "no_churn": n, "report_1gb": base, "bytes_per_key": per_key,
                       "old_keys": keys_old}

    # -j 1 runs each file through the two-stage pipeline (parse | model,
    # aggregate), which already keeps more than one core busy; -j N > 1 runs
    # N files at once, one thread each. So the speed-up -j 2 can reach over
    # -j 1 on two cores is bounded by -j 1's CPU / wall (the "ceiling"), and
    # the sequential one-thread run is shown too.
    j1t = timed([rdblens, "report", "-f", "json", "-j", "1", "--threads", "1", m100, m100b], runs, tmp)
    j1 = timed([rdblens, "report", "-f", "json", "-j", "1", m100, m100b], runs, tmp)
    j2 = timed([rdblens, "report", "-f", "json", "-j", "2", m100, m100b], runs, tmp)
    speed = j1["median_s"] / j2["median_s"]
    ceiling = min(2.0, 2.0 * j1["median_s"] / j2["cpu_s"]) if j2["cpu_s"] else 0.0
    row("report -j 1 --threads 1, two mixed-100mb", j1t)
    row("report -j 1, two mixed-100mb", j1)
    row("report -j 2, two mixed-100mb", j2,
        "speed-up %.2fx over -j 1 (target >= 1.6x; ceiling on 2 cores %.2fx: -j 1 wall / "
        "half of -j 2's CPU), %.2fx over -j 1 --threads 1" % (speed, ceiling, j1t["median_s"] / j2["median_s"]))
    res["jobs"] = {"j1_one_thread": j1t, "j1": j1, "j2": j2, "speedup": speed, "ceiling": ceiling}

    rdir = os.path.join(bdir, "reports")
    os.makedirs(rdir, exist_ok=True)
    one = os.path.join(rdir, "r0.json")
    os.system("'%s' report -q -f json -o '%s' '%s'" % (rdblens, one, m100))
    paths = [one]
    for i in range(1, 100):
        p = os.path.join(rdir, "r%d.json" % i)
        if not os.path.exists(p) or os.path.getsize(p) != os.path.getsize(one):
            shutil.copyfile(one, p)
        paths.append(p)
    mg = timed([rdblens, "merge", "-f", "json"] + paths, runs, tmp)
    row("merge 100 reports of mixed-100mb", mg, "%.0f KB each" % (os.path.getsize(one) / 1e3))
    res["merge100"] = mg
    text = "\n".join(out)
    print(text)
    with open(os.path.join(bdir, "fleet.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(bdir, "fleet.json"), "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
