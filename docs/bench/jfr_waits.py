#!/usr/bin/env python3
"""Blocked time in a JFR recording by event and thread pool, for the drain notes in docs/benchmarks.md (#19).

  jfr print --events jdk.SocketRead,jdk.ThreadPark,jdk.JavaMonitorEnter rec.jfr > waits.txt
  python3 docs/bench/jfr_waits.py waits.txt [divisor]

Prints, per event type and thread (digits as #), the events' count and summed duration in ms, each divided by
divisor (e.g. the callbacks of the window) when given. Only events above the recording's thresholds are in the file
(the 'profile' settings: 10 ms for these three), so this is the long waits, not all of them.
"""
import collections
import re
import sys

EVENT = re.compile(r'^(jdk\.\w+) \{')
DURATION = re.compile(r'^\s+duration = ([\d.,]+) (ns|us|ms|s)\b')
THREAD = re.compile(r'^\s+eventThread = "([^"]*)"')
UNIT = {'ns': 1e-6, 'us': 1e-3, 'ms': 1.0, 's': 1000.0}

divisor = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
count = collections.Counter()
total = collections.Counter()
event = thread = None
ms = 0.0
for line in open(sys.argv[1]):
    m = EVENT.match(line)
    if m:
        event, thread, ms = m.group(1), '?', 0.0
        continue
    if event is None:
        continue
    d = DURATION.match(line)
    t = THREAD.match(line)
    if d:
        ms = float(d.group(1).replace(',', '')) * UNIT[d.group(2)]
    elif t:
        thread = re.sub(r'\d+', '#', t.group(1))
    elif line.startswith('}'):
        count[(event, thread)] += 1
        total[(event, thread)] += ms
        event = None
print('event thread count%s ms%s' % (('/callback',) * 2 if divisor != 1 else ('', '')))
for key, ms in sorted(total.items(), key=lambda kv: (kv[0][0], -kv[1])):
    print('%s %s %.4f %.4f' % (key[0], key[1].replace(' ', '_'), count[key] / divisor, ms / divisor))
