#!/usr/bin/env python3
"""Where one thread's bytes go, from a JFR recording's allocation samples (#19: the close-check relay).

  jfr print --stack-depth 64 --events jdk.ObjectAllocationSample app.jfr > alloc-samples.txt
  python3 docs/bench/jfr_alloc.py alloc-samples.txt THREAD [frame-prefix]

jdk.ObjectAllocationSample is throttled and weighted (each sample carries the bytes it stands for), so the shares
are estimates of the thread's allocation, not exact bytes (those come from jfr_writer.py). Prints the thread's
sampled weight by allocated class, by the nearest frame starting with frame-prefix (default com.groupbuy), and by
the frames present in most of its samples (inclusive).
"""
import collections
import re
import sys

FRAME = re.compile(r'^\s+([\w$.<>/]+)\(')
THREAD = re.compile(r'^\s+eventThread = "([^"]*)"')
CLASS = re.compile(r'^\s+objectClass = ([^\s]+)')
WEIGHT = re.compile(r'^\s+weight = ([\d.,]+)\s*(bytes|kB|MB|GB)')
UNITS = {'bytes': 1, 'kB': 1024, 'MB': 1024 ** 2, 'GB': 1024 ** 3}


def events(path):
    event = None
    for line in open(path):
        if line.startswith('jdk.ObjectAllocationSample'):
            event = {'stack': [], 'thread': '?', 'class': '?', 'weight': 0}
            continue
        if event is None:
            continue
        if m := THREAD.match(line):
            event['thread'] = m.group(1)
        elif m := CLASS.match(line):
            event['class'] = m.group(1)
        elif m := WEIGHT.match(line):
            event['weight'] = float(m.group(1).replace(',', '')) * UNITS[m.group(2)]
        elif m := FRAME.match(line):
            event['stack'].append(m.group(1))
        elif line.startswith('}'):
            yield event
            event = None


def main():
    path, thread = sys.argv[1], sys.argv[2]
    prefix = sys.argv[3] if len(sys.argv) > 3 else 'com.groupbuy'
    by_class, nearest, inclusive, total = collections.Counter(), collections.Counter(), collections.Counter(), 0.0
    for e in events(path):
        if e['thread'] != thread:
            continue
        w = e['weight']
        total += w
        by_class[e['class']] += w
        nearest[next((f for f in e['stack'] if f.startswith(prefix)), 'none')] += w
        for f in set(e['stack']):
            inclusive[f] += w
    print(f'=== {thread}: sampled allocation weight {total / 1024 / 1024:.1f} MB')
    if total == 0:
        return
    for title, counter, rows in (('by class', by_class, 15), (f'by nearest {prefix} frame', nearest, 15),
                                 ('inclusive', inclusive, 50)):
        print(f'--- {title} (share of its sampled weight)')
        for key, w in counter.most_common(rows):
            print(f'{w * 100 / total:5.1f}% {key}')


if __name__ == '__main__':
    main()
