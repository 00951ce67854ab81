#!/usr/bin/env python3
"""Bytes each thread group allocated during a recording of jdk.ThreadAllocationStatistics (#19, branch edgecpu).

  jfr print --json --events jdk.ThreadAllocationStatistics rec.jfr | python3 docs/bench/jfr_thread_alloc.py PORT

Each event holds a thread's allocated bytes since it started (exact, unlike the sampled allocation events); a
thread's bytes in the window are its last value minus its value in the recording's first round of events; a thread
started after that round counts from 0. A thread that ended before the last round is lost (Tomcat ends idle pool
threads), so the figures are lower bounds. Prints one line:
request_threads=<bytes> (Tomcat's http-nio-[ADDRESS-]PORT-exec-* threads) all_threads=<bytes>.
"""
import datetime
import json
import sys

port = sys.argv[1]
first, last = {}, {}
events = json.load(sys.stdin)['recording']['events']


def when(event):
    return datetime.datetime.fromisoformat(event['values']['startTime'].replace('Z', '+00:00'))


start = min(when(e) for e in events)
for event in events:
    values = event['values']
    thread = values['thread'] or {}
    key = (thread.get('javaName') or thread.get('osName') or '?', thread.get('javaThreadId'))
    if key not in first:
        # In the first round (within half a second of the first event): from that value; later: a new thread.
        first[key] = values['allocated'] if (when(event) - start).total_seconds() < 0.5 else 0
    last[key] = values['allocated']
delta = {k: last[k] - first[k] for k in last}
# http-nio-PORT-exec-N, or http-nio-ADDRESS-PORT-exec-N when the connector is bound to an address (as on dev).
request = sum(v for (name, _), v in delta.items() if name.startswith('http-nio-') and f'-{port}-exec-' in name)
print(f'request_threads={int(request)} all_threads={int(sum(delta.values()))}')
