#!/usr/bin/env python3
"""Print a Markdown summary of a corpus directory: per recording the boot zones (managed pages,
min/low/high watermarks, per-cpu high/batch of cpu0), MemTotal, and for workload recordings the
main event counts.

usage: summarize.py [CORPUS_DIR]   (default src/main/resources/kernel-recordings)
"""
import json
import os
import re
import sys


def zones(zoneinfo):
    out, cur = [], None
    for line in zoneinfo.splitlines():
        m = re.match(r'Node (\d+), zone\s+(\S+)', line)
        if m:
            cur = {'zone': m.group(2), 'pcp': []}
            out.append(cur)
            continue
        if cur is None:
            continue
        m = re.match(r'\s+(managed|min|low|high|spanned|present)\s+(\d+)$', line)
        if m:
            cur[m.group(1)] = int(m.group(2))
        m = re.match(r'\s+high:\s+(\d+)', line)
        if m:
            cur['pcp'].append([int(m.group(1)), None])
        m = re.match(r'\s+batch:\s+(\d+)', line)
        if m and cur['pcp']:
            cur['pcp'][-1][1] = int(m.group(1))
    return [z for z in out if z.get('managed', 0) > 0]


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else 'src/main/resources/kernel-recordings'
    print('| recording | MemTotal kB | zone: managed, min/low/high, pcp high/batch (cpu0) |')
    print('|---|---:|---|')
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isfile(os.path.join(d, 'recording.json')):
            continue
        zi = open(os.path.join(d, 'boot/zoneinfo')).read()
        mt = re.search(r'MemTotal:\s+(\d+)', open(os.path.join(d, 'boot/meminfo')).read()).group(1)
        zs = '; '.join(f"{z['zone']}: {z['managed']}, {z['min']}/{z['low']}/{z['high']}, "
                       f"{z['pcp'][0][0]}/{z['pcp'][0][1]}" for z in zones(zi))
        print(f'| {name} | {mt} | {zs} |')
    print()
    keys = ['mm_page_alloc', 'mm_page_free', 'mm_page_free_batched', 'mm_page_alloc_zone_locked',
            'mm_page_pcpu_drain', 'mm_page_alloc_extfrag', 'mm_vmscan_wakeup_kswapd', 'mm_vmscan_kswapd_wake',
            'mm_vmscan_direct_reclaim_begin', 'mm_compaction_begin', 'mm_compaction_migratepages']
    print('| recording | ' + ' | '.join(k.replace('mm_', '') for k in keys) + ' | events.xz bytes | wall s |')
    print('|---|' + '---:|' * (len(keys) + 2))
    for name in sorted(os.listdir(root)):
        f = os.path.join(root, name, 'recording.json')
        if not os.path.isfile(f):
            continue
        r = json.load(open(f))
        if not r['phases']:
            continue
        c = r['eventCounts']
        size = os.path.getsize(os.path.join(root, name, 'events.xz'))
        print(f'| {name} | ' + ' | '.join(str(c.get(k, 0)) for k in keys) + f" | {size} | {r['wallSeconds']} |")


if __name__ == '__main__':
    main()
