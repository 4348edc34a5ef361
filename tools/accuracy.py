#!/usr/bin/env python3
"""accuracy.py: compare the memory model with what real servers reported.

For each dump that has a reload-<name>.jsonl truth file (per key, what a
fresh server of that version reported right after loading the dump), run a
predictor that prints one JSON object per key (db, key_hex, bytes,
encoding) and optionally a {"totals": {...}} line, and print per
type x encoding: keys, exact-match %, within 1 % / 5 %, median and worst
relative error, total error; plus predicted vs real used_memory from
reload-meta-<name>.json.

usage: accuracy.py [--cmd 'PROGRAM ARGS {now_ms} {extra} {config} {file}'] [--verbose]
                   [--summary] [--cluster] [--whatif DIR --corpus DIR] DUMP...
{config} expands to --config KEY=VALUE pairs from the reload meta's config,
{extra} to --profile TARGET (--whatif) or --cluster (--cluster).
--whatif DIR: every <src>-main@<target>.jsonl/.meta.json pair of DIR (the
source dump is <corpus>/<src>/main.rdb), with a per-target table at the end.
The default command is the model driver tools/accuracy_model.
Python 3 standard library only."""
import argparse, gzip, json, os, re, shlex, statistics, subprocess, sys


def open_maybe_gz(path):
    if os.path.exists(path):
        return open(path, 'rt')
    if os.path.exists(path + '.gz'):
        return gzip.open(path + '.gz', 'rt')
    return None


def key_hex_of(rec):
    if 'key_hex' in rec and rec['key_hex'] is not None:
        return rec['key_hex']
    k = rec['key']
    out = bytearray()
    i = 0
    while i < len(k):
        if k[i] == '\\' and i + 1 < len(k) and k[i + 1] == '\\':
            out.append(0x5c); i += 2
        elif k[i] == '\\' and i + 3 < len(k) and k[i + 1] == 'x':
            out.append(int(k[i + 2:i + 4], 16)); i += 4
        else:
            out += k[i].encode(); i += 1
    return out.hex()


TARGET_PROFILE = {'redis-2.8.24': 'redis-2.8', 'redis-3.2.13': 'redis-3.2', 'redis-4.0.14': 'redis-4.0',
                  'redis-5.0.14': 'redis-5.0', 'redis-6.2.16': 'redis-6.2', 'redis-7.0.15': 'redis-7.0',
                  'redis-7.2.6': 'redis-7.2', 'redis-7.4.1': 'redis-7.4', 'redis-unstable': 'redis-8.0',
                  'valkey-8.0.1': 'valkey-8.0', 'valkey-unstable': 'valkey-8.1-dev'}


def whatif_pairs(wdir, corpus):
    """(dump, truth, meta, profile, source, target) per <src>-<name>@<target>.jsonl in wdir."""
    out = []
    for f in sorted(os.listdir(wdir)):
        m = re.match(r'(.+)-(main)@(.+)\.jsonl$', f)
        if not m:
            continue
        src, name, tgt = m.groups()
        dump = os.path.join(corpus, src, name + '.rdb')
        meta = os.path.join(wdir, f[:-len('.jsonl')] + '.meta.json')
        if os.path.exists(dump) and os.path.exists(meta) and tgt in TARGET_PROFILE:
            out.append((dump, os.path.join(wdir, f), meta, TARGET_PROFILE[tgt], src, tgt))
    return out


def truth_paths(dump):
    d = os.path.dirname(dump)
    base = os.path.basename(dump)
    if base.startswith('modules-'):
        # corpus-modules: modules-<set>.rdb, reload-<set>.jsonl, meta-<set>.json
        stem = base[len('modules-'):-len('.rdb')]
        return (os.path.join(d, 'reload-%s.jsonl' % stem), os.path.join(d, 'meta-%s.json' % stem))
    stem = base.split('.')[0]
    return (os.path.join(d, 'reload-%s.jsonl' % stem), os.path.join(d, 'reload-meta-%s.json' % stem))


# corpus-modules: the reloaded server ran these commands before it read
# INFO memory (its scripts/gen.py capture()), and Redis 7.0 gives each
# command a latency histogram on its first call (latency-tracking is on by
# default): J(104) + J(3072 * 8) = 24688 bytes each. The model predicts a
# server that has just loaded the dump (tests/test_corpus_modules.c).
HISTOGRAM = 24688
CAPTURE_COMMANDS = 12   # PING INFO SELECT SCAN TYPE MEMORY|USAGE PTTL PEXPIRETIME OBJECT|ENCODING STRLEN HLEN LLEN
INFO_COMMANDS = {'bf': 5, 'timeseries': 1}   # BF/CF/CMS/TOPK/TDIGEST.INFO; TS.INFO


def modules_meta(meta):
    """The module versions a corpus-modules server ran, and its used_memory."""
    cfg = []
    hist = CAPTURE_COMMANDS
    for m in meta.get('module_list') or []:
        cfg += ['--config', '%s-module-version=%s' % (m['name'], m['ver'])]
        hist += INFO_COMMANDS.get(m['name'], 0)
    return cfg, meta['reload_used_memory'] - hist * HISTOGRAM


CONFIG_KEYS = ('hash-max-listpack-entries', 'hash-max-listpack-value', 'hash-max-ziplist-entries',
               'hash-max-ziplist-value', 'set-max-intset-entries', 'set-max-listpack-entries',
               'set-max-listpack-value', 'zset-max-listpack-entries', 'zset-max-listpack-value',
               'zset-max-ziplist-entries', 'zset-max-ziplist-value', 'list-max-listpack-size',
               'list-max-ziplist-size', 'list-compress-depth', 'maxmemory', 'maxmemory-policy')


def config_args(meta):
    """--config KEY=VALUE for every threshold the reloaded server ran with."""
    if meta and 'module_list' in meta:
        return modules_meta(meta)[0]
    cfg = (meta or {}).get('config_get') or (meta or {}).get('config_from_meta') or {}
    out = []
    for k in CONFIG_KEYS:
        if k in cfg and cfg[k] not in (None, ''):
            out += ['--config', '%s=%s' % (k, cfg[k])]
    return out


def run_pred(cmd, dump, now_ms, meta=None, extra=()):
    args = []
    for a in shlex.split(cmd):
        if a == '{config}':
            args += config_args(meta)
        elif a == '{extra}':
            args += list(extra)
        else:
            args.append(a.replace('{file}', dump).replace('{now_ms}', str(now_ms)))
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError('%s failed: %s' % (' '.join(args), p.stderr.strip()[:300]))
    keys, totals = {}, None
    for line in p.stdout.splitlines():
        if not line.strip():
            continue
        o = json.loads(line)
        if 'totals' in o:
            totals = o['totals']
            continue
        keys[(int(o.get('db', 0)), o.get('key_hex') or o['key'].encode().hex())] = o
    return keys, totals


def pct(a, b):
    return 100.0 * a / b if b else 0.0


class Group:
    def __init__(self):
        self.n = self.exact = self.w1 = self.w5 = self.enc_ok = 0
        self.errs = []
        self.pred = self.real = 0

    def add(self, pred, real, enc_ok):
        self.n += 1
        self.enc_ok += enc_ok
        self.pred += pred
        self.real += real
        e = (pred - real) / real if real else (0.0 if pred == real else 1.0)
        self.errs.append(e)
        self.exact += pred == real
        self.w1 += abs(e) <= 0.01
        self.w5 += abs(e) <= 0.05

    def row(self, name):
        med = statistics.median([abs(e) for e in self.errs]) if self.errs else 0
        worst = max(self.errs, key=abs) if self.errs else 0
        return '%-26s %6d %7.1f %7.1f %7.1f %8.2f %8.2f %8.2f %6.1f' % (
            name, self.n, pct(self.exact, self.n), pct(self.w1, self.n), pct(self.w5, self.n),
            100 * med, 100 * worst, pct(self.pred - self.real, self.real), pct(self.enc_ok, self.n))


HDR = '%-26s %6s %7s %7s %7s %8s %8s %8s %6s' % ('type/encoding', 'keys', 'exact%', '<=1%', '<=5%',
                                                 'med%', 'worst%', 'total%', 'enc%')


def run_job(a, job, overall):
    """One dump against one truth file; returns (Group of all keys, used_memory error %) or None."""
    dump, tpath, mpath, extra, label = job
    tf = open_maybe_gz(tpath)
    meta = json.load(open(mpath)) if os.path.exists(mpath) else None
    if meta is None:
        return None
    now_ms = meta.get('loaded_time_ms') or 0
    pred, totals = run_pred(a.cmd, dump, now_ms, meta, extra)
    groups = {}
    allg = Group()
    misses = []
    if tf is not None:
        for line in tf:
            t = json.loads(line)
            real = t.get('memory_usage_samples0')
            kh = key_hex_of(t)
            p = pred.get((int(t.get('db', 0)), kh))
            # a module value: its type name (TYPE says it) is the group
            enc = t.get('encoding', t.get('object_encoding'))
            name = '%s/%s' % (t['type'], enc)
            if p is None:
                misses.append('missing key %s' % t['key'])
                continue
            if real is None:
                continue
            g = groups.setdefault(name, Group())
            enc_ok = p.get('encoding') == enc
            for grp in (g, allg, overall):
                grp.add(int(p['bytes']), int(real), enc_ok)
            if a.verbose and (int(p['bytes']) != real or not enc_ok):
                misses.append('%-40s %-18s pred %8d %-10s real %8d %s' % (
                    t['key'][:40], name, int(p['bytes']), p.get('encoding'), real, enc))
    real_um = modules_meta(meta)[1] if 'module_list' in meta else meta['info_memory']['used_memory']
    pum = totals['predicted_used_memory'] if totals else None
    um_err = pct(pum - real_um, real_um) if pum is not None else None
    um = ('used_memory real %d predicted %s (%+.2f%%)' % (real_um, pum, um_err)) \
        if pum is not None else 'used_memory real %d' % real_um
    prof = totals.get('profile', '') if totals else ''
    print('== %s  [%s]  %s' % (label, prof, um))
    if a.summary:
        if allg.n:
            print(allg.row('all'))
    else:
        if allg.n:
            print(HDR)
            for name in sorted(groups):
                print(groups[name].row(name))
            print(allg.row('all'))
        for ms in misses:
            print('   ' + ms)
    return allg, um_err


def span(vals, fmt):
    vals = [v for v in vals if v is not None]
    if not vals:
        return '-'
    lo, hi = min(vals), max(vals)
    return fmt % lo if fmt % lo == fmt % hi else (fmt % lo) + ' .. ' + (fmt % hi)


def table(title, rows):
    """rows: (line name, [(Group, used_memory error)]); a Markdown table as in the README."""
    print()
    print(title)
    print('| %s | dumps | keys | keys exact (per dump) | within 5 %% (per dump) | encoding equal | used_memory error |' % rows[0][0])
    print('|---|---|---|---|---|---|---|')
    for name, res in rows[1:]:
        pooled = Group()
        for g, _ in res:
            pooled.n += g.n; pooled.exact += g.exact; pooled.w5 += g.w5; pooled.enc_ok += g.enc_ok
        if pooled.n == 0:
            print('| %s | %d | 0 | - (no MEMORY USAGE) | - | - | %s |' % (
                name, len(res), span([e for _, e in res], '%+.2f %%')))
            continue
        print('| %s | %d | %d | %s (%s) | %s (%s) | %s | %s |' % (
            name, len(res), pooled.n,
            '%.2f %%' % pct(pooled.exact, pooled.n), span([pct(g.exact, g.n) for g, _ in res if g.n], '%.1f'),
            '%.2f %%' % pct(pooled.w5, pooled.n), span([pct(g.w5, g.n) for g, _ in res if g.n], '%.1f'),
            span([pct(g.enc_ok, g.n) for g, _ in res if g.n], '%.1f %%'),
            span([e for _, e in res], '%+.2f %%')))


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument('--cmd', default=os.path.join(here, 'accuracy_model') +
                    ' --now-ms {now_ms} {extra} {config} {file}')
    ap.add_argument('--verbose', '-v', action='store_true')
    ap.add_argument('--summary', action='store_true', help='one line per dump only')
    ap.add_argument('--whatif', metavar='DIR', help='every <src>-main@<target> pair of DIR '
                    '(dumps from --corpus), with --profile of the target; prints the per-target table')
    ap.add_argument('--cluster', action='store_true', help='the dumps are cluster nodes '
                    '(reload-cluster-*): model them with --cluster; prints the per-version table')
    ap.add_argument('--corpus', help='where --whatif finds the source dumps')
    ap.add_argument('dumps', nargs='*')
    a = ap.parse_args()
    jobs = []
    for dump in a.dumps:
        tpath, mpath = truth_paths(dump)
        jobs.append((dump, tpath, mpath, ['--cluster'] if a.cluster else [], dump))
    if a.whatif:
        corpus = a.corpus or os.path.join(os.path.dirname(os.path.abspath(a.whatif)))
        for dump, tpath, mpath, prof, src, tgt in whatif_pairs(a.whatif, corpus):
            jobs.append((dump, tpath, mpath, ['--profile', prof], '%s@%s' % (src, tgt)))
    overall = Group()
    bad = 0
    per_line = {}
    for job in jobs:
        try:
            r = run_job(a, job, overall)
        except Exception as ex:  # report and go on with the other dumps
            print('%s: %s' % (job[4], ex))
            bad += 1
            continue
        if r is None:
            continue
        if a.whatif:
            line = job[4].split('@')[1]
        else:
            line = os.path.basename(os.path.dirname(job[0]))
        per_line.setdefault(line, []).append(r)
    if overall.n and len(jobs) > 1:
        print('== overall')
        print(HDR)
        print(overall.row('all'))
    if a.whatif and per_line:
        table('What-if: each older main dump loaded into the target (shared/corpus/whatif)',
              [('target', None)] + [(k, per_line[k]) for k in TARGET_PROFILE if k in per_line])
    elif per_line:
        table('Cluster nodes (shared/corpus-cluster, model with --cluster)' if a.cluster else
              'Reloaded by the same version (each dump\'s reload-*.jsonl)',
              [('server', None)] + sorted(per_line.items()))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
