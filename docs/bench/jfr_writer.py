#!/usr/bin/env python3
"""What one thread of the app costs per lock, from a JFR recording (#19: the group-commit writer).

  jfr print --stack-depth 256 --events jdk.ExecutionSample app.jfr > cpu.txt
  jfr print --json --events jdk.ThreadAllocationStatistics app.jfr > alloc.json
  python3 docs/bench/jfr_writer.py cpu.txt alloc.json LOCKS [thread-name]

Counts, not times: the thread's share of the app's CPU samples, its top frames (self and inclusive) and libraries
within its own samples, and the bytes it allocated per lock written. The bytes come from
jdk.ThreadAllocationStatistics (each thread's exact allocation counter, read by JFR at both ends of the recording),
not from allocation samples, so they do not depend on sampling. Thread name default: lock-group-commit.
"""
import collections
import json
import sys

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from jfr_top import library, samples  # noqa: E402


def allocated(path):
    """Bytes each thread allocated during the recording (last reading less first; a thread born within: last)."""
    readings = collections.defaultdict(list)
    names = {}
    for event in json.load(open(path))['recording']['events']:
        values = event['values']
        thread = values['thread']
        key = thread.get('javaThreadId') or thread.get('osThreadId')
        names[key] = thread.get('javaName') or thread.get('osName')
        readings[key].append(values['allocated'])
    by_thread = collections.Counter()
    for key, values in readings.items():
        by_thread[names[key]] += max(values) - (min(values) if len(values) > 1 else 0)
    return by_thread


def main():
    cpu, alloc, locks = sys.argv[1], sys.argv[2], int(sys.argv[3])
    name = sys.argv[4] if len(sys.argv) > 4 else 'lock-group-commit'
    threads, total = [], 0
    own, inclusive, libraries, n = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for stack in samples(cpu, threads):
        total += 1
        if threads[-1] != name:
            continue
        n += 1
        own[stack[0]] += 1
        inclusive.update(set(stack))
        libraries[library(stack)] += 1
    by_thread = allocated(alloc)
    app_bytes = sum(by_thread.values())
    locks = max(locks, 1)
    print(f'{name}: {n} of {total} CPU samples ({n * 100 / max(total, 1):.1f} %); '
          f'allocated {by_thread[name] // locks} B per lock of {app_bytes // locks} B for the whole app '
          f'({by_thread[name] * 100 / max(app_bytes, 1):.1f} %); {locks} locks')
    if n == 0:
        return
    for title, counter, rows in (('self', own, 20), ('inclusive', inclusive, 45),
                                 ('by library (nearest non-JDK frame)', libraries, 12)):
        print(f'=== {name} {title} (share of its samples)')
        for frame, count in counter.most_common(rows):
            print(f'{count * 100 / n:5.1f}% {frame}')
    print('=== bytes by thread (top 8, per lock)')
    for thread, count in by_thread.most_common(8):
        print(f'{count // locks:9d} B {thread}')


if __name__ == '__main__':
    main()
