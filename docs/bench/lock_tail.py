#!/usr/bin/env python3
"""Where a lock's latency goes, from a JFR recording of docs/bench/lock_tail.sh (#19, branch locktail).

  jfr print --json --events 'gbm.GroupCommitWrite,gbm.GroupCommitBatch,gbm.TradeRequest,jdk.GarbageCollection,...' \
      x.jfr > events.json
  python3 docs/bench/lock_tail.py events.json

Counts and percentiles of: group-commit batches (size, write time, the writer's idle time), each write's wait
(batches written ahead of it, queued, its batch's write, its caller woken), trade requests' time in the app, the
collections' pauses, long socket reads per thread group; and the slowest 1 % of lock requests split into their
group-commit wait (matched by thread and time) and the rest.
"""
import collections
import json
import re
import sys

DUR = re.compile(r'^(-)?PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$')


def ns(value):
    """A JFR JSON duration ('PT0.0012S') or number, in nanoseconds."""
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        return int(value)
    m = DUR.match(value)
    if not m:
        raise ValueError(value)
    sign, h, mi, s = m.groups()
    total = (int(h or 0) * 3600 + int(mi or 0) * 60) * 10**9 + round(float(s or 0) * 1e9)
    return -total if sign else total


def at(stamp):
    """ns since midnight of an ISO timestamp's time part ('2026-12-02T14:35:00.123456789Z' or with an offset)."""
    t = stamp.split('T')[1]
    t = re.split(r'[Z+-]', t)[0]
    h, m, s = t.split(':')
    whole, _, frac = s.partition('.')
    return ((int(h) * 60 + int(m)) * 60 + int(whole)) * 10**9 + int((frac + '000000000')[:9])


def pct(values, p):
    if not values:
        return 0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def ms(v):
    return f'{v / 1e6:.1f}'


def line(name, values):
    if not values:
        return f'{name}: none'
    return (f'{name}: n={len(values)} mean={ms(sum(values) / len(values))} p50={ms(pct(values, 50))} '
            f'p90={ms(pct(values, 90))} p99={ms(pct(values, 99))} max={ms(max(values))} ms')


def thread_group(name):
    return re.sub(r'\d+', '#', name or '?')


def main():
    events = json.load(open(sys.argv[1]))['recording']['events']
    by_type = collections.defaultdict(list)
    for e in events:
        by_type[e['type']].append(e['values'])

    batches = collections.defaultdict(list)
    for v in by_type['gbm.GroupCommitBatch']:
        batches[v['group']].append(v)
    for group, bs in sorted(batches.items()):
        sizes = [b['size'] for b in bs]
        durs = [ns(b['duration']) for b in bs]
        idle = [ns(b['idleBefore']) for b in bs]
        span = max(at(b['startTime']) + d for b, d in zip(bs, durs)) - min(at(b['startTime']) - i for b, i in zip(bs, idle))
        print(f'== {group} batches: {len(bs)}, writes {sum(sizes)}, rolled back {sum(1 for b in bs if b["rolledBack"])}; '
              f'size mean {sum(sizes) / len(sizes):.1f} p10 {pct(sizes, 10)} p50 {pct(sizes, 50)} p90 {pct(sizes, 90)} '
              f'max {max(sizes)}; writer busy {sum(durs) * 100 / max(span, 1):.0f} % of the window '
              f'(idle before a batch: {sum(1 for i in idle if i > 0) * 100 / len(idle):.0f} % of batches)')
        hist = collections.Counter(min(s // 8 * 8, 64) for s in sizes)
        print('   size histogram (batches, by 8): ' + ' '.join(f'{k}-{k + 7}:{hist[k]}' for k in sorted(hist)))
        print('   ' + line('batch write (statements + commit)', durs))
        answering = [ns(b.get('answering')) for b in bs]
        print('   ' + line('answering its callers after the commit (writer)', answering))
        print(f'   writer time: writing {ms(sum(durs))} ms, answering {ms(sum(answering))} ms, waiting for a first write '
              f'{ms(sum(idle))} ms, window {ms(span)} ms')
        stmts = [ns(v['duration']) for v in by_type['gbm.GroupCommitStatements'] if v['group'] == group]
        if stmts:
            print('   ' + line("its statements (before the commit)", stmts))
            print(f'   commit (batch write less statements, totals): {ms(sum(durs) - sum(stmts))} of {ms(sum(durs))} ms '
                  f'({(sum(durs) - sum(stmts)) * 100 / max(sum(durs), 1):.0f} %)')
        per_lock = [d / s for d, s in zip(durs, sizes)]
        print(f'   write time per write in the batch: mean {sum(per_lock) / len(per_lock) / 1e3:.0f} µs')

    writes = collections.defaultdict(list)
    for v in by_type['gbm.GroupCommitWrite']:
        writes[v['group']].append(v)
    for group, ws in sorted(writes.items()):
        ahead = collections.Counter(w['batchesAhead'] for w in ws)
        print(f'== {group} writes: {len(ws)}; batches written ahead of one (share): '
              + ' '.join(f'{k}:{ahead[k] * 100 / len(ws):.1f}%' for k in sorted(ahead)))
        q = [ns(w['queued']) for w in ws]
        wr = [ns(w['writing']) for w in ws]
        wk = [ns(w['woken']) for w in ws]
        tot = [a + b + c for a, b, c in zip(q, wr, wk)]
        for name, vals in (('queued', q), ('its batch written', wr), ('woken after commit', wk), ('whole wait', tot)):
            print('   ' + line(name, vals))

    reqs = [v for v in by_type['gbm.TradeRequest'] if v['path'].endswith('lock_market_pay_order')]
    if reqs:
        durs = [ns(r['duration']) for r in reqs]
        print('== ' + line('lock requests, time in the app (TradeEdgeFilter)', durs))
        # The slowest 1 %: their group-commit wait (same thread, inside the request's time) against the rest.
        lock_writes = collections.defaultdict(list)
        for w in writes.get('lock', []):
            end = at(w['startTime'])  # an event without begin(): start = commit time, i.e. when the caller woke
            lock_writes[w['eventThread']['javaName']].append((end, w))
        for t in lock_writes.values():
            t.sort(key=lambda x: x[0])
        threshold = pct(durs, 99)
        parts = collections.defaultdict(list)
        for r, d in zip(reqs, durs):
            bucket = 'slowest 1 %' if d >= threshold else 'others'
            start = at(r['startTime'])
            mine = [w for end, w in lock_writes.get(r['eventThread']['javaName'], []) if start <= end <= start + d]
            wait = sum(ns(w['queued']) + ns(w['writing']) + ns(w['woken']) for w in mine)
            parts[bucket].append((d, wait, mine))
        for bucket in ('others', 'slowest 1 %'):
            rows = parts[bucket]
            if not rows:
                continue
            n = len(rows)
            d = sum(r[0] for r in rows) / n
            w = sum(r[1] for r in rows) / n
            matched = sum(1 for r in rows if r[2])
            qa = [x for r in rows for x in r[2]]
            q = sum(ns(x['queued']) for x in qa) / max(len(qa), 1)
            wr = sum(ns(x['writing']) for x in qa) / max(len(qa), 1)
            wk = sum(ns(x['woken']) for x in qa) / max(len(qa), 1)
            ah = collections.Counter(x['batchesAhead'] for x in qa)
            print(f'   {bucket} of lock requests (n={n}, {matched} matched to their write): in app {ms(d)} ms = '
                  f'group-commit wait {ms(w)} (queued {ms(q)}, batch written {ms(wr)}, woken {ms(wk)}) + rest {ms(d - w)}; '
                  f'batches ahead ' + ' '.join(f'{k}:{ah[k]}' for k in sorted(ah)))

    gcs = by_type['jdk.GarbageCollection']
    pauses = by_type['jdk.GCPhasePause']
    if gcs:
        total = sum(ns(g['sumOfPauses']) for g in gcs)
        longest = max(ns(g['longestPause']) for g in gcs)
        names = collections.Counter(g['name'] for g in gcs)
        print(f'== GC: {len(gcs)} collections ({dict(names)}), pauses total {ms(total)} ms, longest {ms(longest)} ms'
              f'; GC pause phases {len(pauses)}')
    else:
        print('== GC: no collection in the window')
    sp = [ns(s['duration']) for s in by_type['jdk.SafepointBegin']]
    print('== ' + line('safepoints >= 1 ms', sp))
    reads = collections.defaultdict(list)
    for r in by_type['jdk.SocketRead']:
        reads[thread_group(r['eventThread']['javaName'] if r.get('eventThread') else '?')].append(ns(r['duration']))
    for g, vals in sorted(reads.items(), key=lambda x: -len(x[1]))[:8]:
        print('== socket reads >= 5 ms, ' + line(g, vals))


if __name__ == '__main__':
    main()
