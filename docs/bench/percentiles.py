"""Reads one number a line (milliseconds) on stdin, prints p50, p99 and max (nearest-rank)."""
import math
import sys

values = sorted(float(line) for line in sys.stdin if line.strip() and line.strip() != "NULL")
if not values:
    print("n=0")
    sys.exit(0)


def rank(p):
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]


print(f"n={len(values)} p50={rank(50):.0f} p99={rank(99):.0f} max={values[-1]:.0f} min={values[0]:.0f}")
