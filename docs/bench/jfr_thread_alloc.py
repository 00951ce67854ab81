#!/usr/bin/env python3
"""Bytes each thread group allocated during a recording of jdk.ThreadAllocationStatistics (#19, branch edgecpu).

  jfr print --json --events jdk.ThreadAllocationStatistics rec.jfr | python3 docs/bench/jfr_thread_alloc.py PORT

Each event holds a thread's allocated bytes since it started (exact, unlike the sampled allocation events); a
thread's bytes in the window are its last value minus its first (a thread first seen mid-window counts from its
first event). Prints one line: request_threads=<bytes> (Tomcat's http-nio-PORT-exec-* threads) all_threads=<bytes>.
"""
import json
import sys

port = sys.argv[1]
first, last = {}, {}
for event in json.load(sys.stdin)['recording']['events']:
    values = event['values']
    thread = values['thread']
    name = (thread or {}).get('javaName') or (thread or {}).get('osName') or '?'
    key = (name, (thread or {}).get('javaThreadId'))
    first.setdefault(key, values['allocated'])
    last[key] = values['allocated']
delta = {k: last[k] - first[k] for k in last}
request = sum(v for (name, _), v in delta.items() if name.startswith(f'http-nio-{port}-exec-'))
print(f'request_threads={int(request)} all_threads={int(sum(delta.values()))}')
