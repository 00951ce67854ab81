#!/usr/bin/env python3
"""CPU samples of a JFR recording by thread group, with each group's top frames (#19, branch lockapp).

  jfr print --stack-depth 256 --events jdk.ExecutionSample app.jfr > cpu.txt
  python3 docs/bench/jfr_groups.py cpu.txt [self-rows] [total-rows]

Groups (thread name patterns): request threads (Tomcat's http-nio-*-exec-*), the group-commit writer
(lock-group-commit*), Redisson's netty threads (redisson-netty*), the close-check relay and publisher (close-check*,
*relay*, *publisher*), RabbitMQ's client (AMQP*, rabbit*), logging (*logback*, *AsyncAppender*), Tomcat's poller and
acceptor, the rest by name with digits as #. GC threads run no Java code and are not sampled. Per group: its share of
all samples, the top self frames and the top inclusive frames (a frame counted once per sample), each as a share of
the group's samples, and the nearest frame of ours (com.groupbuy).
"""
import collections
import re
import sys

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from jfr_top import samples  # noqa: E402

GROUPS = [
    (re.compile(r'^http-nio-\d+-exec-'), 'request threads'),
    (re.compile(r'lock-group-commit|group-commit|batch-writer', re.I), 'group-commit writer'),
    (re.compile(r'^redisson-netty'), 'Redisson netty'),
    (re.compile(r'close-check|relay|publisher', re.I), 'close-check relay/publisher'),
    (re.compile(r'^AMQP|rabbit', re.I), 'RabbitMQ client'),
    (re.compile(r'logback|AsyncAppender', re.I), 'logging'),
    (re.compile(r'^http-nio-\d+-(Poller|Acceptor)'), 'Tomcat poller/acceptor'),
]


def group(thread):
    for pattern, name in GROUPS:
        if pattern.search(thread):
            return name
    return 'other: ' + re.sub(r'[0-9]+', '#', thread)


def main():
    path = sys.argv[1]
    self_rows = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    total_rows = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    threads, n = [], 0
    per = collections.defaultdict(lambda: (collections.Counter(), collections.Counter(), collections.Counter(), [0]))
    for stack in samples(path, threads):
        n += 1
        own, inclusive, nearest, count = per[group(threads[-1])]
        count[0] += 1
        own[stack[0]] += 1
        inclusive.update(set(stack))
        mine = next((f for f in stack if f.startswith('com.groupbuy') and '$$' not in f), None)
        nearest[mine or '(none of ours)'] += 1
    if n == 0:
        sys.exit('no samples')
    print(f'samples {n}')
    ordered = sorted(per.items(), key=lambda kv: -kv[1][3][0])
    for name, (_, _, _, count) in ordered:
        print(f'{count[0] * 100 / n:5.1f}% {count[0]:>6}  {name}')
    for name, (own, inclusive, nearest, count) in ordered:
        if count[0] * 100 / n < 1:
            continue
        c = count[0]
        print(f'=== {name}: {c} samples ({c * 100 / n:.1f} % of all)')
        for title, counter, rows in (('self', own, self_rows), ('total', inclusive, total_rows),
                                     ('nearest ours', nearest, 12)):
            print(f'-- {title}')
            for frame, k in counter.most_common(rows):
                print(f'{k * 100 / c:5.1f}% {frame}')


if __name__ == '__main__':
    main()
