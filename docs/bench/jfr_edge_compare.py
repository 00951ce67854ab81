#!/usr/bin/env python3
"""Compares edge_profile.sh recordings by the request threads' own samples (#19, branch lockedge).

  python3 docs/bench/jfr_edge_compare.py before-cpu.txt after-cpu.txt [...]

(the `jfr print --events jdk.ExecutionSample` texts edge_profile.sh leaves in /tmp/gbm-edge.*). Shares of *all*
samples move with whatever else the app did in the window (a place-reconciler pass over every open team can take a
fifth of them), so here each request-thread phase (jfr_edge.py's phases) is a share of the request threads' samples.
"Edge" is the request threads minus the controller and the domain's lock. Redisson + Netty samples are split into
batches (RBatch: the place reconciler's counter reads) and single commands (the lock's EVALSHA), by thread.
"""
import collections
import importlib.util
import os
import sys

spec = importlib.util.spec_from_file_location('jfr_edge', os.path.join(os.path.dirname(__file__), 'jfr_edge.py'))
je = importlib.util.module_from_spec(spec)
spec.loader.exec_module(je)

NOT_EDGE = {
    'controller > TradeLockService.lock (domain, Redis, DB)',
    'controller > rate guard',
    'controller: checks, notify choice, envelope',
    'controller: other endpoints',
}
BINDER = ('createBinder', 'validateIfApplicable', 'getVariableNameForParameter', 'BindingResult',
          'ModelAndViewContainer.addAttribute', 'ResolvableType.forMethodParameter')


def summarise(path):
    total = requests = binder = 0
    phases, groups, redisson = collections.Counter(), collections.Counter(), collections.Counter()
    for thread, stack, _, _ in je.events(path, 'jdk.ExecutionSample'):
        total += 1
        group = je.thread_group(thread)
        groups[group] += 1
        if any(f.startswith(('org.redisson.', 'io.netty.')) for f in stack):
            kind = 'batch' if any('Batch' in f for f in stack) else 'single command'
            redisson[f'{group}: {kind}'] += 1
        if group != 'request threads':
            continue
        requests += 1
        phases[je.phase(stack)] += 1
        if any(marker in f for f in stack for marker in BINDER):
            binder += 1
    return total, requests, phases, groups, redisson, binder


def main(paths):
    runs = [(p, summarise(p)) for p in paths]
    for path, (total, requests, phases, groups, redisson, binder) in runs:
        edge = requests - sum(phases[p] for p in NOT_EDGE)
        print(f'== {path}: {total} samples, request threads {requests} ({100 * requests / total:.1f}%)')
        print(f'   edge {edge} samples = {100 * edge / requests:.1f}% of the request threads, '
              f'{100 * edge / total:.1f}% of all; data-binder frames on {binder} request samples')
        print('   threads: ' + ', '.join(f'{g} {100 * v / total:.1f}%' for g, v in groups.most_common(6)))
        print('   Redisson/Netty on the stack: '
              + ', '.join(f'{k} {100 * v / total:.1f}%' for k, v in redisson.most_common()))
    names = sorted(set().union(*[r[2].keys() for _, r in runs]),
                   key=lambda p: -sum(r[2][p] / r[1] for _, r in runs))
    print('-- phase, share of the request threads\' samples (samples), one column per recording')
    for p in names:
        print(f'{p:58s}' + ''.join(f' {100 * r[2][p] / r[1]:5.1f}% ({r[2][p]:3d})' for _, r in runs))


if __name__ == '__main__':
    main(sys.argv[1:])
