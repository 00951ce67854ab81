#!/usr/bin/env python3
"""Summarises CPU samples of a JFR recording, for the profiling notes in docs/benchmarks.md.

  jfr print --stack-depth 100 --events jdk.ExecutionSample app.jfr > samples.txt
  python3 docs/bench/jfr_top.py samples.txt [package-prefix]

Prints the top self frames, the frames present in most stacks (inclusive), and for each sample the nearest frame
of our own code, which answers "which call of ours does this CPU belong to"; then the samples by thread (name with
its digits as #: which pool's threads ran) and by library (the nearest frame outside the JDK). JFR samples only threads running
Java code; compare with `jfr print --events jdk.ThreadCPULoad` for threads that burn CPU elsewhere.
"""
import collections
import re
import sys

FRAME = re.compile(r'^\s+([\w$.<>/]+)\(')
THREAD = re.compile(r'^\s+sampledThread = "([^"]*)"')
LIBRARIES = (
    ('com.groupbuy', 'ours'), ('com.mysql', 'Connector/J'), ('org.mariadb', 'Connector/J'),
    ('org.springframework', 'Spring'), ('org.apache.ibatis', 'MyBatis'), ('org.mybatis', 'MyBatis'),
    ('org.apache.catalina', 'Tomcat'), ('org.apache.coyote', 'Tomcat'), ('org.apache.tomcat', 'Tomcat'),
    ('org.redisson', 'Redisson+Netty'), ('io.netty', 'Redisson+Netty'), ('com.fasterxml', 'Jackson'),
    ('io.micrometer', 'Micrometer'), ('com.zaxxer', 'Hikari'), ('com.rabbitmq', 'RabbitMQ'),
    ('ch.qos.logback', 'Logback'), ('org.slf4j', 'Logback'), ('okhttp3', 'OkHttp'), ('okio', 'OkHttp'),
    ('kotlin', 'OkHttp'),
)
JDK = ('java.', 'javax.', 'jdk.', 'sun.', 'com.sun.')


def samples(path, threads=None):
    """Yields each sample's stack (innermost first); appends each sample's thread to {@code threads} if given."""
    stack = None
    thread = '?'
    for line in open(path):
        if line.startswith('jdk.ExecutionSample'):
            stack = []
            thread = '?'
        elif stack is not None:
            m = FRAME.match(line)
            t = THREAD.match(line)
            if t:
                thread = t.group(1)
            elif m:
                stack.append(m.group(1))
            elif line.strip() == '}' and stack:
                if threads is not None:
                    threads.append(thread)
                yield stack
                stack = None


def library(stack):
    for frame in stack:
        if frame.startswith(JDK):
            continue
        for prefix, name in LIBRARIES:
            if frame.startswith(prefix):
                return name
        return 'other: ' + '.'.join(frame.split('.')[:2])
    return 'JDK only'


def main():
    path = sys.argv[1]
    prefix = sys.argv[2] if len(sys.argv) > 2 else 'com.groupbuy'
    own, inclusive, nearest, n = collections.Counter(), collections.Counter(), collections.Counter(), 0
    by_thread, by_library, threads = collections.Counter(), collections.Counter(), []
    for stack in samples(path, threads):
        n += 1
        by_thread[re.sub(r'[0-9]+', '#', threads[-1])] += 1
        by_library[library(stack)] += 1
        own[stack[0]] += 1
        inclusive.update(set(stack))
        mine = next((f for f in stack if f.startswith(prefix) and '$$' not in f), None)
        if mine:
            nearest[mine] += 1
    if n == 0:
        sys.exit('no samples')
    print(f'samples {n}')
    for title, counter, rows in (('self', own, 30), ('inclusive', inclusive, 60), (f'nearest {prefix}', nearest, 25),
                                 ('by thread', by_thread, 25), ('by library (nearest non-JDK frame)', by_library, 20)):
        print(f'== {title}')
        for frame, count in counter.most_common(rows):
            print(f'{count * 100 / n:5.1f}% {frame}')


if __name__ == '__main__':
    main()
