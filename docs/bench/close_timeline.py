"""Where a close check's time goes (#15): reads the timeline close_check.sh writes with CLOSE_TIMELINE=<file>
(order id, task id, then epoch ms: lock, check deadline, published, reached our consumer, record finished, closed)
and prints, per tenth of the locks in lock order, the publish lag and the lateness at our consumer and at the close;
how many checks were published behind a later deadline in their lane (head-of-line); and per 250 ms of the close
burst: checks coming due, closes done and consumers busy (records in progress).
Usage: python3 close_timeline.py <file>"""
import math
import sys


def pct(values, p):
    values = sorted(values)
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)] if values else float("nan")


rows = []
for line in open(sys.argv[1]):
    f = line.split("\t")
    if len(f) < 8 or "NULL" in f[2:8]:
        continue
    order, task, lock, due, pub, start, end, closed = f[0], int(f[1]), *map(lambda x: int(float(x)), f[2:8])
    rows.append(dict(order=order, task=task, lock=lock, due=due, pub=pub, start=start, end=end, closed=closed))
if not rows:
    sys.exit("no complete rows")
rows.sort(key=lambda r: r["lock"])
t0 = rows[0]["lock"]
n = len(rows)
print(f"n={n} locks over {(rows[-1]['lock'] - t0) / 1000:.2f} s; deadlines over "
      f"{(max(r['due'] for r in rows) - min(r['due'] for r in rows)) / 1000:.2f} s; closes over "
      f"{(max(r['closed'] for r in rows) - min(r['closed'] for r in rows)) / 1000:.2f} s")
print("tenth  lock_s  pub_lag p50/p99  due->consumer p50/p99  due->closed p50/p99  processing p50/p99")
for k in range(10):
    part = rows[k * n // 10:(k + 1) * n // 10]
    lag = [r["pub"] - r["lock"] for r in part]
    arr = [r["start"] - r["due"] for r in part]
    cl = [r["closed"] - r["due"] for r in part]
    proc = [r["end"] - r["start"] for r in part]
    print(f"{k:5d}  {(part[0]['lock'] - t0) / 1000:6.2f}  {pct(lag, 50):6.0f}/{pct(lag, 99):6.0f}  "
          f"{pct(arr, 50):10.0f}/{pct(arr, 99):6.0f}  {pct(cl, 50):9.0f}/{pct(cl, 99):6.0f}  "
          f"{pct(proc, 50):8.0f}/{pct(proc, 99):6.0f}")

# Head-of-line: in publish order (page time, then task id) a check whose deadline is before one published ahead of it
# cannot leave its lane before that one does.
by_pub = sorted(rows, key=lambda r: (r["pub"], r["task"]))
ahead = -1
blocked = []
for r in by_pub:
    if ahead > r["due"]:
        blocked.append(ahead - r["due"])
    ahead = max(ahead, r["due"])
print(f"head-of-line: {len(blocked)} checks behind a later deadline, held up to p50 {pct(blocked, 50):.0f} / "
      f"p99 {pct(blocked, 99):.0f} / max {max(blocked, default=0):.0f} ms")

# The close burst in 250 ms bins, from the first deadline.
d0 = min(r["due"] for r in rows)
end = max(r["closed"] for r in rows)
print("t_s   due  closed  busy(avg records in progress)  backlog(due, not closed)")
step = 250
t = d0
while t <= end:
    due = sum(1 for r in rows if t <= r["due"] < t + step)
    closed = sum(1 for r in rows if t <= r["closed"] < t + step)
    busy = sum(max(0, min(r["end"], t + step) - max(r["start"], t)) for r in rows) / step
    backlog = sum(1 for r in rows if r["due"] < t + step <= r["closed"])
    print(f"{(t - d0) / 1000:5.2f} {due:4d} {closed:6d}  {busy:6.1f}  {backlog:6d}")
    t += step
