#!/usr/bin/env python3
"""Check one guest's output and write recording.json and README.md into the staging directory.

Refuses (exit 1, message on stderr) when:
  - a ring buffer's overrun, commit overrun or dropped events is not 0 (workload recordings);
  - the zones in boot/zoneinfo with managed pages are not the expected ones
    (DMA + DMA32 below 4 GiB of RAM, DMA + DMA32 + Normal from 4 GiB);
  - the phase markers in the trace are not "begin, end" for every phase, in the order run;
  - the converter's raw and converted event counts differ.
"""
import argparse
import datetime
import json
import os
import re
import shlex
import sys
from collections import OrderedDict


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def bracketed(text):
    m = re.search(r'\[([^\]]+)\]', text)
    return m.group(1) if m else text.strip()


def parse_stats(text):
    d = {}
    for line in text.splitlines():
        k, _, v = line.partition(':')
        d[k.strip()] = v.strip()
    def num(key):
        v = d.get(key)
        return int(v) if v is not None and re.fullmatch(r'-?\d+', v) else None
    return {'entries': num('entries'), 'overrun': num('overrun'), 'commitOverrun': num('commit overrun'),
            'bytes': num('bytes'), 'dropped': num('dropped events'), 'readEvents': num('read events')}


def value(v):
    if re.fullmatch(r'-?\d+', v):
        return int(v)
    return v


def zones_with_pages(zoneinfo):
    zones, cur = [], None
    for line in zoneinfo.splitlines():
        m = re.match(r'Node (\d+), zone\s+(\S+)', line)
        if m:
            cur = m.group(2)
            continue
        m = re.match(r'\s+managed\s+(\d+)', line)
        if m and cur is not None and int(m.group(1)) > 0:
            zones.append(cur)
    return zones


def main():
    ap = argparse.ArgumentParser()
    for k in ('name', 'model', 'kind', 'package', 'version', 'meta-version', 'guest-out', 'counts', 'wall',
              'qemu', 'recorder', 'params', 'staging'):
        ap.add_argument('--' + k, required=(k != 'counts'))
    ap.add_argument('--memory-bytes', type=int, required=True)
    a = ap.parse_args()
    out, st = a.guest_out, a.staging
    problems = []

    gib = a.memory_bytes / (1 << 30)
    expected = ['DMA', 'DMA32'] + (['Normal'] if gib >= 4 else [])
    zones = zones_with_pages(read(os.path.join(out, 'boot/zoneinfo')))
    if zones != expected:
        problems.append(f'zones with managed pages {zones}, expected {expected}')

    conf = OrderedDict()
    for line in read(a.params).splitlines():
        k, _, v = line.partition('=')
        conf[k] = value(v)

    rec = OrderedDict()
    rec['format'] = 1
    rec['name'] = a.name
    rec['kernel'] = OrderedDict([('release', read(os.path.join(out, 'info/release')).strip()),
                                 ('package', a.package), ('version', a.version), ('model', a.model),
                                 ('metaPackageVersion', a.meta_version)])
    rec['guest'] = OrderedDict([('memoryBytes', a.memory_bytes), ('vcpus', 2), ('machine', 'pc'),
                                ('firmware', 'seabios'), ('accelerator', 'tcg'),
                                ('thp', bracketed(read(os.path.join(out, 'boot/thp_enabled')))),
                                ('thpDefrag', bracketed(read(os.path.join(out, 'info/thp_defrag')))),
                                ('cmdline', read(os.path.join(out, 'info/cmdline')).strip()),
                                ('qemu', a.qemu.strip())])
    counts = None
    if a.kind == 'workload':
        counts = json.loads(read(a.counts))
        stats = OrderedDict()
        for cpu in sorted(f[len('stats-end-'):] for f in os.listdir(os.path.join(out, 'info')) if f.startswith('stats-end-')):
            end = parse_stats(read(os.path.join(out, 'info', 'stats-end-' + cpu)))
            stop = parse_stats(read(os.path.join(out, 'info', 'stats-stop-' + cpu)))
            s = OrderedDict([('overrun', end['overrun']), ('commitOverrun', end['commitOverrun']),
                             ('dropped', end['dropped']), ('entries', end['readEvents']),
                             ('entriesUnreadAtStop', stop['entries']), ('readEvents', end['readEvents'])])
            stats[cpu] = s
            for k in ('overrun', 'commitOverrun', 'dropped'):
                if s[k] != 0:
                    problems.append(f'ring buffer {cpu}: {k} = {s[k]}')
        events = [e.strip() for e in read(os.path.join(out, 'info/set_event')).splitlines() if e.strip()]
        pump = OrderedDict()
        for line in read(os.path.join(out, 'info/pump')).splitlines():
            m = re.match(r'stream=\S*/(cpu\d+)/trace_pipe bytes=(\d+)', line)
            if m:
                pump[m.group(1)] = int(m.group(2))
        rec['trace'] = OrderedDict([
            ('bufferSizeKb', int(read(os.path.join(out, 'info/buffer_size_kb')).split()[0])),
            ('bufferTotalSizeKb', int(read(os.path.join(out, 'info/buffer_total_size_kb')).split()[0])),
            ('clock', bracketed(read(os.path.join(out, 'info/trace_clock')))),
            ('events', events),
            ('stats', stats),
            ('workloadCpu', conf['WORKLOAD_CPU']),
            ('readout', 'per_cpu/cpuN/trace_pipe copied to raw virtio disks during the run by cvmtool pump on cpu0'),
            ('rawTextBytes', pump),
            ('rawEventCounts', counts['rawEventCounts'])])
        if not counts['countsMatch'] or counts['rawEventCounts'] != counts['eventCounts']:
            problems.append('raw and converted event counts differ')
        phases = []
        for line in read(os.path.join(out, 'info/phases')).splitlines():
            parts = line.split()
            nn, name = parts[0], parts[1]
            if name == 'start':
                continue
            params = OrderedDict()
            for tok in parts[2:]:
                k, _, v = tok.partition('=')
                params[k] = value(v)
            phases.append(OrderedDict([('name', name), ('dir', f'phases/{nn}-{name}'), ('params', params)]))
        expected_markers = [[p['name'], w] for p in phases for w in ('begin', 'end')]
        if counts['markers'] != expected_markers:
            problems.append(f"phase markers {counts['markers']} != expected {expected_markers}")
        rec['phases'] = phases
        rec['workload'] = OrderedDict([('seed', conf['SEED']), ('fragmenterPercentOfMemTotal', conf['FRAG_PCT']),
                                       ('smallFilesPerGiB', conf['SMALL_FILES_PER_GIB']),
                                       ('pageCachePercentOfMemTotal', conf['PAGECACHE_PCT']),
                                       ('anon4kPercentOfMemTotal', conf['ANON4K_PCT']),
                                       ('anonThpPercentOfMemTotal', conf['ANONTHP_PCT']),
                                       ('shortLivedProcesses', conf['SPAWN_N']),
                                       ('throttleHighEvents', int(str(conf['THROTTLE']).split(':')[0])),
                                       ('throttleLowEvents', int(str(conf['THROTTLE']).split(':')[1]))])
        rec['eventCounts'] = counts['eventCounts']
    else:
        rec['phases'] = []
        rec['eventCounts'] = {}
    rec['recordedAt'] = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    rec['wallSeconds'] = float(a.wall)
    rec['recorder'] = a.recorder

    if problems:
        for p in problems:
            print(f'{a.name}: REFUSED: {p}', file=sys.stderr)
        sys.exit(1)

    with open(os.path.join(st, 'recording.json'), 'w', encoding='utf-8') as f:
        json.dump(rec, f, indent=1, ensure_ascii=False)
        f.write('\n')
    write_readme(st, rec, out)


def meminfo_kb(text, key):
    m = re.search(r'^' + re.escape(key) + r':\s+(\d+)', text, re.M)
    return int(m.group(1)) if m else None


def write_readme(st, rec, out):
    k, g = rec['kernel'], rec['guest']
    boot_mem = read(os.path.join(out, 'boot/meminfo'))
    avail_line = next((l for l in read(os.path.join(out, 'boot/dmesg')).splitlines() if 'Memory:' in l and 'available' in l), '')
    L = []
    L.append(f"# {rec['name']}\n")
    L.append(f"Recorded {rec['recordedAt']} by `{rec['recorder']}` (format: `tools/kernel-corpus/FORMAT.md`).\n")
    L.append('| | |\n|---|---|')
    L.append(f"| kernel | Linux {k['release']} (model {k['model']}) |")
    L.append(f"| package | `{k['package']}` {k['version']} (from Debian's archive; `linux-image-amd64` {k['metaPackageVersion']}) |")
    L.append(f"| guest | {g['memoryBytes']} bytes ({g['memoryBytes'] >> 20} MiB), {g['vcpus']} vCPUs, machine `{g['machine']}`, SeaBIOS, TCG |")
    L.append(f"| kernel command line | `{g['cmdline']}` |")
    L.append(f"| THP enabled / defrag | {g['thp']} / {g['thpDefrag']} |")
    L.append(f"| MemTotal / MemFree at boot | {meminfo_kb(boot_mem, 'MemTotal')} kB / {meminfo_kb(boot_mem, 'MemFree')} kB |")
    L.append(f"| dmesg | `{avail_line.split('] ', 1)[-1]}` |")
    L.append(f"| wall time in QEMU | {rec['wallSeconds']} s (boot to power-off) |")
    L.append('')
    L.append('QEMU command line (`$WORK` = `tools/kernel-corpus/work`):\n')
    L.append('```\n' + g['qemu'] + '\n```\n')
    if rec['phases']:
        t = rec['trace']
        L.append('## Trace\n')
        L.append(f"Ring buffer {t['bufferSizeKb']} KiB per CPU ({t['bufferTotalSizeKb']} KiB in all), allocated before "
                 f"the start snapshot; clock `{t['clock']}`; workload pinned to CPU {t['workloadCpu']}; "
                 "read out during the run through `per_cpu/cpuN/trace_pipe` (raw text: "
                 + ', '.join(f'{c} {b} bytes' for c, b in t['rawTextBytes'].items()) + ').\n')
        L.append('| cpu | overrun | commit overrun | dropped | events read | unread at stop |\n|---|---|---|---|---|---|')
        for cpu, s in t['stats'].items():
            L.append(f"| {cpu} | {s['overrun']} | {s['commitOverrun']} | {s['dropped']} | {s['readEvents']} | {s['entriesUnreadAtStop']} |")
        L.append('\nEvents enabled: ' + ', '.join(f'`{e}`' for e in t['events']) + '\n')
        L.append('| event | raw trace | events.xz |\n|---|---|---|')
        for e, n in rec['eventCounts'].items():
            L.append(f"| {e} | {t['rawEventCounts'].get(e)} | {n} |")
        L.append('\n## Phases\n')
        L.append('Every phase is cut by `cvmsim phase=NAME begin|end` trace markers; the views were read after its end '
                 'marker into the directory named. `phases/00-start` was read right before tracing was turned on.\n')
        L.append('| dir | phase | parameters |\n|---|---|---|')
        for p in rec['phases']:
            params = ', '.join(f'{k}={v}' for k, v in p['params'].items())
            L.append(f"| `{p['dir']}` | {p['name']} | {params} |")
        L.append('')
    with open(os.path.join(st, 'README.md'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(L) + '\n')


if __name__ == '__main__':
    main()
