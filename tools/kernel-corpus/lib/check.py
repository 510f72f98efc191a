#!/usr/bin/env python3
"""Check a corpus directory against FORMAT.md without QEMU (python3 only).

For every recording: recording.json parses and names its directory; boot/ has every file;
boot/zoneinfo has the expected zones (DMA + DMA32 below 4 GiB, + Normal from 4 GiB). For workload
recordings also: every phase directory exists with its seven files; ring-buffer overrun, commit
overrun and dropped are 0; events.xz decompresses (lzma checks its integrity), starts with the
header, every line has the field count of its type; the count of each event equals eventCounts
and trace.rawEventCounts; the markers are begin/end per phase in the order of "phases".

usage: check.py [CORPUS_DIR]      exit 1 on the first recording with a problem (all are listed)
"""
import json
import lzma
import os
import re
import sys
from collections import Counter

BOOT_FILES = ['meminfo', 'zoneinfo', 'buddyinfo', 'pagetypeinfo', 'vmstat', 'iomem', 'extfrag_index',
              'unusable_index', 'min_free_kbytes', 'watermark_scale_factor', 'lowmem_reserve_ratio',
              'watermark_boost_factor', 'thp_enabled', 'dmesg']
PHASE_FILES = ['meminfo', 'zoneinfo', 'buddyinfo', 'pagetypeinfo', 'vmstat', 'extfrag_index', 'unusable_index']
FIELDS = {'M': 3, 'A': 6, 'F': 4, 'B': 3, 'Z': 6, 'D': 5, 'X': 8}
NAMES = {'A': 'mm_page_alloc', 'F': 'mm_page_free', 'B': 'mm_page_free_batched',
         'Z': 'mm_page_alloc_zone_locked', 'D': 'mm_page_pcpu_drain', 'X': 'mm_page_alloc_extfrag',
         'M': 'tracing_mark_write'}


def zones(zoneinfo):
    out, cur = [], None
    for line in zoneinfo.splitlines():
        m = re.match(r'Node \d+, zone\s+(\S+)', line)
        if m:
            cur = m.group(1)
        m = re.match(r'\s+managed\s+(\d+)', line)
        if m and int(m.group(1)) > 0:
            out.append(cur)
    return out


def check(d):
    p = []
    r = json.load(open(os.path.join(d, 'recording.json'), encoding='utf-8'))
    name = os.path.basename(d.rstrip('/'))
    if r.get('format') != 1 or r.get('name') != name:
        p.append(f'format/name {r.get("format")} {r.get("name")}')
    for f in BOOT_FILES:
        if not os.path.isfile(os.path.join(d, 'boot', f)):
            p.append(f'boot/{f} missing')
    gib = r['guest']['memoryBytes'] / (1 << 30)
    want = ['DMA', 'DMA32'] + (['Normal'] if gib >= 4 else [])
    got = zones(open(os.path.join(d, 'boot/zoneinfo')).read())
    if got != want:
        p.append(f'zones {got} != {want}')
    if not r['phases']:
        return p, r, None
    for ph in [{'dir': 'phases/00-start'}] + r['phases']:
        for f in PHASE_FILES:
            if not os.path.isfile(os.path.join(d, ph['dir'], f)):
                p.append(f"{ph['dir']}/{f} missing")
    for cpu, s in r['trace']['stats'].items():
        for k in ('overrun', 'commitOverrun', 'dropped'):
            if s[k] != 0:
                p.append(f'{cpu} {k}={s[k]}')
    c = Counter()
    markers = []
    with lzma.open(os.path.join(d, 'events.xz'), 'rt', encoding='utf-8') as f:
        if f.readline() != '# cvmsim-trace 1\n':
            p.append('bad header')
        for n, line in enumerate(f, 2):
            t = line[0]
            parts = line.rstrip('\n').split(' ')
            if t == 'E':
                if len(parts) < 3:
                    p.append(f'line {n}: short E line')
                c[parts[2]] += 1
                continue
            if t not in FIELDS or len(parts) != FIELDS[t]:
                p.append(f'line {n}: bad line {line[:80]!r}')
                break
            c[NAMES[t]] += 1
            if t == 'M':
                markers.append([parts[1], parts[2]])
    if dict(c) != r['eventCounts']:
        p.append('events.xz counts != eventCounts')
    if dict(c) != r['trace']['rawEventCounts']:
        p.append('events.xz counts != trace.rawEventCounts')
    want_m = [[ph['name'], w] for ph in r['phases'] for w in ('begin', 'end')]
    if markers != want_m:
        p.append('markers out of order')
    return p, r, sum(c.values())


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else 'src/main/resources/kernel-recordings'
    bad = 0
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isfile(os.path.join(d, 'recording.json')):
            continue
        problems, r, events = check(d)
        status = 'ok' if not problems else 'PROBLEMS: ' + '; '.join(problems)
        extra = f', {events} events, {len(r["phases"])} phases' if events is not None else ''
        print(f'{name}: {status}{extra}')
        bad += bool(problems)
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
