#!/usr/bin/env python3
"""Convert the guest's per-cpu ftrace text (trace_pipe of cpu0, cpu1, ...) into the cvmsim-trace 1
line format (tools/kernel-corpus/FORMAT.md).

The per-cpu streams are merged by their timestamps, which is how ftrace's `trace` file orders
events of several CPUs (smallest timestamp first, the lower CPU on a tie). The recorder uses the
`counter` trace clock, a global atomic counter, so timestamps are unique and the merge gives the
exact order in which the events were written.

Fails (exit 1) on a line it cannot parse, on a "[LOST n EVENTS]" line, or when the count of any
event in the raw text differs from the count in the written file (read back from that file).

usage: convert.py --counts COUNTS.json OUT RAW_CPU0 RAW_CPU1 ...
"""
import argparse
import heapq
import json
import re
import sys
from collections import Counter, OrderedDict

# "<comm>-<pid> [ccc] <ts>: <event>: <fields>" (irq-info off; ts is "%12llu" for counter clocks,
# "%5lu.%06lu" for nanosecond clocks)
LINE = re.compile(r'^(?P<comm>.*?)-(?P<pid>\d+)\s+(?:\(\s*[-\d]+\)\s+)?\[(?P<cpu>\d+)\]\s+'
                  r'(?:\S+\s+)?(?P<ts>\d+(?:\.\d+)?): (?P<event>[A-Za-z0-9_]+): ?(?P<rest>.*)$')
MARKER = re.compile(r'^cvmsim phase=(\S+) (begin|end)$')


def read_stream(path, cpu_expected):
    """Yield (ts_key, cpu, event, rest) from one per-cpu trace_pipe text."""
    with open(path, 'r', encoding='utf-8', errors='strict', newline='\n') as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line:
                continue
            if 'LOST' in line and 'EVENTS]' in line:
                raise SystemExit(f'{path}:{lineno}: ring buffer lost events: {line}')
            m = LINE.match(line)
            if not m:
                raise SystemExit(f'{path}:{lineno}: cannot parse: {line[:200]}')
            cpu = int(m.group('cpu'))
            if cpu != cpu_expected:
                raise SystemExit(f'{path}:{lineno}: cpu {cpu} in the stream of cpu {cpu_expected}')
            ts = m.group('ts')
            key = (int(ts.split('.')[0]), int(ts.split('.')[1]) if '.' in ts else 0)
            yield key, cpu, m.group('event'), m.group('rest')


def kv(rest):
    d = {}
    for tok in rest.split(' '):
        k, sep, v = tok.partition('=')
        if sep:
            d[k] = v
    return d


def pfn_of(d):
    page = d.get('page', '')
    if page in ('(null)', '0000000000000000', '0x0', '(nil)'):
        return '-1'
    return str(int(d['pfn'], 16))


def convert(ev, cpu, rest):
    """Return the compact line (without newline) for one raw event."""
    if ev == 'tracing_mark_write':
        m = MARKER.match(rest.strip())
        if not m:
            raise SystemExit(f'unexpected trace_marker text: {rest!r}')
        return f'M {m.group(1)} {m.group(2)}'
    if ev == 'mm_page_alloc':
        d = kv(rest)
        return f"A {cpu} {pfn_of(d)} {int(d['order'])} {d['gfp_flags']} {int(d['migratetype'])}"
    if ev == 'mm_page_free':
        d = kv(rest)
        return f"F {cpu} {pfn_of(d)} {int(d['order'])}"
    if ev == 'mm_page_free_batched':
        d = kv(rest)
        return f"B {cpu} {pfn_of(d)}"
    if ev == 'mm_page_alloc_zone_locked':
        d = kv(rest)
        return f"Z {cpu} {pfn_of(d)} {int(d['order'])} {int(d['migratetype'])} {int(d['percpu_refill'])}"
    if ev == 'mm_page_pcpu_drain':
        d = kv(rest)
        return f"D {cpu} {pfn_of(d)} {int(d['order'])} {int(d['migratetype'])}"
    if ev == 'mm_page_alloc_extfrag':
        d = kv(rest)
        return (f"X {cpu} {pfn_of(d)} {int(d['alloc_order'])} {int(d['fallback_order'])} "
                f"{int(d['alloc_migratetype'])} {int(d['fallback_migratetype'])} {int(d['change_ownership'])}")
    return f'E {cpu} {ev} {rest.strip()}'


TYPE_OF = {'A': 'mm_page_alloc', 'F': 'mm_page_free', 'B': 'mm_page_free_batched',
           'Z': 'mm_page_alloc_zone_locked', 'D': 'mm_page_pcpu_drain', 'X': 'mm_page_alloc_extfrag',
           'M': 'tracing_mark_write'}


def count_written(path):
    c = Counter()
    markers = []
    with open(path, 'r', encoding='utf-8') as f:
        first = f.readline()
        if first != '# cvmsim-trace 1\n':
            raise SystemExit(f'{path}: bad header {first!r}')
        for line in f:
            t = line[0]
            if t == 'E':
                c[line.split(' ', 3)[2].rstrip('\n')] += 1
            else:
                c[TYPE_OF[t]] += 1
                if t == 'M':
                    _, name, what = line.split()
                    markers.append([name, what])
    return c, markers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--counts', required=True)
    ap.add_argument('out')
    ap.add_argument('raw', nargs='+')
    a = ap.parse_args()
    raw = Counter()
    iters = []
    for i, p in enumerate(a.raw):
        iters.append(((key, cpu), cpu, ev, rest) for (key, cpu, ev, rest) in read_stream(p, i))
    # heapq.merge takes the smallest (timestamp, cpu) first: the trace file's order
    n = 0
    with open(a.out, 'w', encoding='utf-8', newline='\n') as out:
        out.write('# cvmsim-trace 1\n')
        buf = []
        for sortkey, cpu, ev, rest in heapq.merge(*iters, key=lambda t: t[0]):
            raw[ev] += 1
            buf.append(convert(ev, cpu, rest))
            n += 1
            if len(buf) >= 65536:
                out.write('\n'.join(buf)); out.write('\n'); buf.clear()
        if buf:
            out.write('\n'.join(buf)); out.write('\n')
    written, markers = count_written(a.out)
    ok = raw == written
    result = OrderedDict()
    result['rawEventCounts'] = OrderedDict(sorted(raw.items()))
    result['eventCounts'] = OrderedDict(sorted(written.items()))
    result['markers'] = markers
    result['events'] = n
    result['countsMatch'] = ok
    with open(a.counts, 'w', encoding='utf-8') as f:
        json.dump(result, f, indent=1)
    if not ok:
        print('event counts differ between raw trace and converted file:', file=sys.stderr)
        for k in sorted(set(raw) | set(written)):
            if raw[k] != written[k]:
                print(f'  {k}: raw {raw[k]} converted {written[k]}', file=sys.stderr)
        sys.exit(1)
    print(f'converted {n} events; counts match', file=sys.stderr)


if __name__ == '__main__':
    main()
