#!/usr/bin/env python3
"""Summarises CPU samples of a JFR recording, for the profiling notes in docs/benchmarks.md.

  jfr print --stack-depth 100 --events jdk.ExecutionSample app.jfr > samples.txt
  python3 docs/bench/jfr_top.py samples.txt [package-prefix]

Prints the top self frames, the frames present in most stacks (inclusive), and for each sample the nearest frame
of our own code, which answers "which call of ours does this CPU belong to". JFR samples only threads running
Java code; compare with `jfr print --events jdk.ThreadCPULoad` for threads that burn CPU elsewhere.
"""
import collections
import re
import sys

FRAME = re.compile(r'^\s+([\w$.<>/]+)\(')


def samples(path):
    stack = None
    for line in open(path):
        if line.startswith('jdk.ExecutionSample'):
            stack = []
        elif stack is not None:
            m = FRAME.match(line)
            if m:
                stack.append(m.group(1))
            elif line.strip() == '}' and stack:
                yield stack
                stack = None


def main():
    path = sys.argv[1]
    prefix = sys.argv[2] if len(sys.argv) > 2 else 'com.groupbuy'
    own, inclusive, nearest, n = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for stack in samples(path):
        n += 1
        own[stack[0]] += 1
        inclusive.update(set(stack))
        mine = next((f for f in stack if f.startswith(prefix) and '$$' not in f), None)
        if mine:
            nearest[mine] += 1
    if n == 0:
        sys.exit('no samples')
    print(f'samples {n}')
    for title, counter, rows in (('self', own, 30), ('inclusive', inclusive, 60), (f'nearest {prefix}', nearest, 25)):
        print(f'== {title}')
        for frame, count in counter.most_common(rows):
            print(f'{count * 100 / n:5.1f}% {frame}')


if __name__ == '__main__':
    main()
