#!/usr/bin/env python3
"""Breaks a lock's JFR samples down by what the HTTP edge is doing (docs/bench/edge_profile.sh, #19).

  jfr print --stack-depth 256 --events jdk.ExecutionSample app.jfr > cpu.txt
  jfr print --stack-depth 256 --events jdk.ObjectAllocationSample app.jfr > alloc.txt
  python3 docs/bench/jfr_edge.py cpu.txt [alloc.txt]

For CPU samples: the share of each library (the sample's leaf-most non-JDK frame, as in jfr_top.py), the share of
each thread group, and for the request threads (http-nio-*-exec-*) each sample's *phase*: the innermost call site
of the request's path found in its stack (a filter, handler mapping, argument resolution, the body read, the
signature check, the controller, the domain's lock, the body write, ...), with the libraries inside each phase.
"Inclusive" counts a sample in every phase on its stack (a filter includes everything it wraps). For allocation
samples the same, weighted by JFR's sampled bytes.
"""
import collections
import re
import sys

FRAME = re.compile(r'^\s+([\w$.<>/]+)\(')
THREAD = re.compile(r'^\s+(?:sampledThread|eventThread) = "([^"]*)"')
WEIGHT = re.compile(r'^\s+weight = ([\d.,]+) (bytes|kB|MB|GB)')
OBJECT = re.compile(r'^\s+objectClass = (\S+)')
UNITS = {'bytes': 1, 'kB': 1024, 'MB': 1024 ** 2, 'GB': 1024 ** 3}

LIBRARIES = [
    ('com.groupbuy.', 'ours'),
    ('org.springframework.amqp.', 'Rabbit'),
    ('com.rabbitmq.', 'Rabbit'),
    ('org.springframework.', 'Spring'),
    ('org.apache.catalina.', 'Tomcat'),
    ('org.apache.coyote.', 'Tomcat'),
    ('org.apache.tomcat.', 'Tomcat'),
    ('com.fasterxml.jackson.', 'Jackson'),
    ('io.micrometer.', 'Micrometer'),
    ('com.mysql.', 'Connector/J'),
    ('org.apache.ibatis.', 'MyBatis'),
    ('org.mybatis.', 'MyBatis'),
    ('org.redisson.', 'Redisson + Netty'),
    ('io.netty.', 'Redisson + Netty'),
    ('com.zaxxer.hikari.', 'Hikari'),
    ('ch.qos.logback.', 'Logback'),
    ('org.slf4j.', 'Logback'),
    ('lombok.', 'ours'),
]

# Call sites on a request thread's path, innermost first: a sample's phase is the first one found walking its stack
# from the leaf. Matched as substrings of "package.Class.method".
PHASES = [
    ('TradeLockService.lock', 'controller > TradeLockService.lock (domain, Redis, DB)'),
    ('TradeRateGuard.admit', 'controller > rate guard'),
    ('MarketTradeController.lockMarketPayOrder', 'controller: checks, notify choice, envelope'),
    ('MarketTradeController.', 'controller: other endpoints'),
    ('PartnerSignatureCheck.', 'argument: signature check'),
    ('TradeEdgeFilter.readBody', 'argument: body read (Jackson)'),
    ('TradeEdgeFilter.writeAnswer', 'answer: body write (negotiation, Jackson, socket)'),
    ('TradeEdgeFilter.', 'lean trade path (other)'),
    ('.validateIfApplicable', 'argument: validation'),
    ('AbstractMessageConverterMethodArgumentResolver.readWithMessageConverters', 'argument: body read (Jackson)'),
    ('InvocableHandlerMethod.getMethodArgumentValues', 'argument: resolution (other)'),
    ('InvocableHandlerMethod.doInvoke', 'handler: reflective invoke'),
    ('TradeCodeAdvice.', 'answer: TradeCodeAdvice'),
    ('AbstractMessageConverterMethodProcessor.writeWithMessageConverters', 'answer: body write (negotiation, Jackson, socket)'),
    ('HandlerMethodReturnValueHandlerComposite.', 'answer: return value (other)'),
    ('RequestMappingHandlerAdapter.', 'handler adapter (other)'),
    ('ServletInvocableHandlerMethod.', 'handler adapter (other)'),
    ('TradeRequestMeter.', 'interceptor: TradeRequestMeter (gbm.trade.requests)'),
    ('HandlerExecutionChain.', 'interceptors (other)'),
    ('DispatcherServlet.getHandler', 'handler mapping'),
    ('FrameworkServlet.publishRequestHandledEvent', 'servlet: request-handled event'),
    ('DispatcherServlet.', 'dispatcher (other)'),
    ('FrameworkServlet.', 'servlet (other)'),
    ('jakarta.servlet.http.HttpServlet.', 'servlet (other)'),
    ('ServerHttpObservationFilter.', 'filter: http.server.requests observation'),
    ('ContentTypeCheckFilter.', 'filter: ContentTypeCheckFilter (ours)'),
    ('CharacterEncodingFilter.', 'filter: character encoding'),
    ('FormContentFilter.', 'filter: form content'),
    ('RequestContextFilter.', 'filter: request context'),
    ('WsFilter.', 'filter: websocket'),
    ('ApplicationFilterChain.', 'filter chain (other)'),
    ('StandardWrapperValve.', 'tomcat: valves'),
    ('StandardContextValve.', 'tomcat: valves'),
    ('StandardHostValve.', 'tomcat: valves'),
    ('ErrorReportValve.', 'tomcat: valves'),
    ('StandardEngineValve.', 'tomcat: valves'),
    ('CoyoteAdapter.', 'tomcat: adapter (request mapping, response finish)'),
    ('Http11Processor.', 'tomcat: HTTP/1.1 processor (parse, write)'),
    ('AbstractProcessorLight.', 'tomcat: HTTP/1.1 processor (parse, write)'),
    ('AbstractProtocol$ConnectionHandler.', 'tomcat: connection handler, socket, pool'),
    ('NioEndpoint', 'tomcat: connection handler, socket, pool'),
    ('org.apache.tomcat.util.threads.', 'tomcat: connection handler, socket, pool'),
]


def library(stack):
    for frame in stack:
        for prefix, name in LIBRARIES:
            if frame.startswith(prefix):
                return name
    return 'JDK / other'


def phase(stack):
    for frame in stack:
        for marker, name in PHASES:
            if marker in frame:
                return name
    return 'request thread (no marker)'


def thread_group(name):
    if re.match(r'http-nio-\d+-exec-', name):
        return 'request threads'
    return re.sub(r'\d+', 'N', name)


def events(path, name):
    stack = thread = weight = obj = None
    for line in open(path):
        if line.startswith(name):
            stack, thread, weight, obj = [], '?', 1, '?'
            continue
        if stack is None:
            continue
        m = FRAME.match(line)
        if m:
            stack.append(m.group(1))
            continue
        m = THREAD.match(line)
        if m:
            thread = m.group(1)
            continue
        m = WEIGHT.match(line)
        if m:
            weight = float(m.group(1).replace(',', '')) * UNITS[m.group(2)]
            continue
        m = OBJECT.match(line)
        if m:
            obj = m.group(1)
            continue
        if line.startswith('}'):
            if stack:
                yield thread, stack, weight, obj
            stack = None


def report(path, name, title, weighted):
    total = 0.0
    libs, groups, phases, inclusive = (collections.Counter() for _ in range(4))
    phase_libs = collections.defaultdict(collections.Counter)
    phase_sites = collections.defaultdict(collections.Counter)
    objects = collections.Counter()
    n = 0
    for thread, stack, weight, obj in events(path, name):
        w = weight if weighted else 1
        n += 1
        total += w
        lib = library(stack)
        libs[lib] += w
        group = thread_group(thread)
        groups[group] += w
        if weighted:
            objects[obj] += w
        if group != 'request threads':
            continue
        p = phase(stack)
        phases[p] += w
        phase_libs[p][lib] += w
        site = next((f for f in stack if not f.startswith(('java.', 'jdk.', 'sun.'))), stack[0])
        phase_sites[p][site] += w
        seen = set()
        for frame in stack:
            for marker, label in PHASES:
                if marker in frame:
                    seen.add(label)
        for label in seen:
            inclusive[label] += w
    if n == 0:
        print(f'== {title}: no events')
        return
    unit = f'{n} samples, {total / 1024 / 1024:.0f} MiB sampled weight' if weighted else f'{n} samples'
    pct = lambda v: f'{v * 100 / total:5.1f}%'
    print(f'== {title}: {unit}')
    print('-- by library (leaf-most non-JDK frame), all threads')
    for lib, v in libs.most_common():
        print(f'{pct(v)} {lib}')
    print('-- by thread group')
    for g, v in groups.most_common(12):
        print(f'{pct(v)} {g}')
    print('-- request threads by phase (innermost call site; share of ALL samples), with the libraries inside')
    for p, v in phases.most_common():
        inside = ', '.join(f'{k} {c * 100 / v:.0f}%' for k, c in phase_libs[p].most_common(5))
        print(f'{pct(v)} {p}  [{inside}]')
        for site, c in phase_sites[p].most_common(4):
            print(f'         {c * 100 / total:5.1f}% {site}')
    print('-- request threads, inclusive (a phase with everything it wraps)')
    for p, v in inclusive.most_common():
        print(f'{pct(v)} {p}')
    if weighted:
        print('-- allocated classes')
        for o, v in objects.most_common(15):
            print(f'{pct(v)} {o}')


def main():
    report(sys.argv[1], 'jdk.ExecutionSample', 'CPU (jdk.ExecutionSample)', False)
    if len(sys.argv) > 2:
        report(sys.argv[2], 'jdk.ObjectAllocationSample', 'allocation (jdk.ObjectAllocationSample)', True)


if __name__ == '__main__':
    main()
