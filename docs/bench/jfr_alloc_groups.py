#!/usr/bin/env python3
"""Bytes allocated per request by thread group, from a recording's jdk.ThreadAllocationStatistics (#19).

  jfr print --json --events jdk.ThreadAllocationStatistics rec.jfr >alloc.json
  python3 docs/bench/jfr_alloc_groups.py alloc.json REQUESTS LABEL UNIT

The counters are exact, not sampled (docs/bench/jfr_writer.py reads them). Prints
"LABEL_alloc bytes_per_UNIT=<n> (every thread; <total> B over REQUESTS UNITs)", then the eight largest thread groups
(thread names with digits as #) with bytes per request and share. Shared by settle_profile.sh and lock_profile.sh.
"""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jfr_writer import allocated  # noqa: E402

path, n, label, unit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
groups = collections.Counter()
for name, b in allocated(path).items():
    groups[re.sub(r"[0-9]+", "#", name or "?")] += b
total = sum(groups.values())
print(f"{label}_alloc bytes_per_{unit}={total // n} (every thread; {total} B over {n} {unit}s)")
for name, b in groups.most_common(8):
    print(f"  {b // n:>9} B  {100 * b / total:5.1f}%  {name}")
