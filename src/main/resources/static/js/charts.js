// The smaller pictures: buddyinfo and extfrag as tables with bars (the numbers are the text),
// and the boot-time experiment as an SVG line chart with markers, dashes and direct labels. The
// kernel comparison (comparison.js) draws its chart with the same SVG helpers and markers.

import * as fmt from './format.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const ORDERS = 11;

/** Returns a new SVG element with the given attributes. */
export function el(name, attrs) {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs || {})) {
    e.setAttribute(k, v);
  }
  return e;
}

/** Returns a new HTML element with the given properties and children (null children skipped). */
export function h(tag, props, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

/** A cell with a number and a bar of the given fraction (0..1) behind it. */
function barCell(text, fraction, cls, spoken) {
  const bar = h('span', { className: 'bar ' + (cls || '') });
  bar.style.height = Math.round(Math.max(0, Math.min(1, fraction)) * 100) + '%';
  const track = h('span', { className: 'bar-track' }, bar);
  track.setAttribute('aria-hidden', 'true');
  const value = h('span', { className: 'bar-value' }, text);
  if (spoken === undefined || spoken === text) {
    return h('td', { className: 'barcell' }, track, value);
  }
  // Short text for the eye, the full value for screen readers.
  value.setAttribute('aria-hidden', 'true');
  return h('td', { className: 'barcell' }, track, value, h('span', { className: 'visually-hidden' }, spoken));
}

function orderHead() {
  const tr = h('tr', {}, h('th', { scope: 'col' }, 'Zone'));
  for (let o = 0; o < ORDERS; o++) {
    tr.append(h('th', { scope: 'col', className: 'num' }, String(o)));
  }
  return h('thead', {}, tr);
}

/** Renders /buddyinfo JSON: free blocks per order, bar height on a log scale. */
export function renderBuddyinfo(container, data) {
  const max = Math.max(1, ...data.zones.flatMap((z) => z.freeBlocks));
  const table = h('table', { className: 'bars-table' },
    h('caption', { className: 'visually-hidden' }, 'Free blocks per order and zone'),
    orderHead());
  const body = h('tbody');
  for (const z of data.zones) {
    const tr = h('tr', {}, h('th', { scope: 'row' }, z.zone));
    z.freeBlocks.forEach((n) => {
      const td = barCell(fmt.compact(n), n === 0 ? 0 : Math.log10(1 + n) / Math.log10(1 + max), 'buddy', fmt.int(n));
      td.title = fmt.int(n) + ' free blocks';
      tr.append(td);
    });
    body.append(tr);
  }
  table.append(body);
  container.replaceChildren(h('p', { className: 'hint' }, 'Columns: order (blocks of 2^order pages). Bar height: log of the count.'), table);
}

/** Renders /extfrag JSON: the fragmentation index per order; -1 (would succeed) as a dash. */
export function renderExtfrag(container, data) {
  const table = h('table', { className: 'bars-table' },
    h('caption', { className: 'visually-hidden' }, 'Fragmentation index per order and zone'),
    orderHead());
  const body = h('tbody');
  for (const z of data.zones) {
    const tr = h('tr', {}, h('th', { scope: 'row' }, z.zone));
    z.extfragIndex.forEach((v) => {
      if (v < 0) {
        const td = barCell('–', 0, 'frag', 'would succeed');
        td.title = 'a free block of this order exists: the allocation would succeed';
        tr.append(td);
      } else {
        tr.append(barCell(v.toFixed(3), v, 'frag'));
      }
    });
    body.append(tr);
  }
  table.append(body);
  container.replaceChildren(h('p', { className: 'hint' }, 'Columns: order. Towards 0: a failure would be for lack of memory, towards 1: from fragmentation; –: a block is free, the allocation would succeed.'), table);
}

/** Series styles: colour (Okabe-Ito), dash and marker, so lines differ without colour too. */
const SERIES = {
  'TDX EAGER': { color: '#D55E00', dash: '', marker: 'square' },
  'TDX LAZY': { color: '#0072B2', dash: '7 4', marker: 'circle' },
  'SNP EAGER': { color: '#CC79A7', dash: '', marker: 'triangle' },
  'SNP LAZY': { color: '#009E73', dash: '2 3', marker: 'diamond' },
  'NONE EAGER': { color: '#000000', dash: '', marker: 'square' },
  'NONE LAZY': { color: '#999999', dash: '7 4', marker: 'circle' },
};

/** Returns a marker of a kind (square, triangle, down, diamond, cross, circle) centred at x, y. */
export function marker(kind, x, y, color) {
  const r = 4.5;
  switch (kind) {
    case 'down':
      return el('path', { d: `M${x},${y + r + 1} L${x + r + 1},${y - r} L${x - r - 1},${y - r} Z`, fill: color, stroke: '#000000', 'stroke-width': 1 });
    case 'cross':
      return el('path', { d: `M${x - r},${y - r} L${x + r},${y + r} M${x - r},${y + r} L${x + r},${y - r}`, stroke: color, 'stroke-width': 2.5 });
    case 'square':
      return el('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r, fill: color });
    case 'triangle':
      return el('path', { d: `M${x},${y - r - 1} L${x + r + 1},${y + r} L${x - r - 1},${y + r} Z`, fill: color });
    case 'diamond':
      return el('path', { d: `M${x},${y - r - 1} L${x + r + 1},${y} L${x},${y + r + 1} L${x - r - 1},${y} Z`, fill: color });
    default:
      return el('circle', { cx: x, cy: y, r, fill: '#ffffff', stroke: color, 'stroke-width': 2.5 });
  }
}

/** Draws boot time against memory size, one line per platform and policy. */
export function renderBootChart(container, rows, logTime) {
  const width = Math.max(360, container.clientWidth || 800);
  const height = 340;
  const m = { left: 64, right: 120, top: 16, bottom: 48 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const sizes = [...new Set(rows.map((r) => r.memoryBytes))].sort((a, b) => a - b);
  const lx = (b) => Math.log2(b);
  const x0 = lx(sizes[0]);
  const x1 = sizes.length > 1 ? lx(sizes[sizes.length - 1]) : x0 + 1;
  const xs = (b) => m.left + (sizes.length > 1 ? ((lx(b) - x0) / (x1 - x0)) * pw : pw / 2);
  const times = rows.map((r) => r.bootSeconds);
  const tmax = Math.max(...times);
  const tmin = Math.min(...times);
  let ys;
  let ticks;
  if (logTime) {
    const a = Math.floor(Math.log10(tmin));
    const b = Math.ceil(Math.log10(tmax));
    ys = (t) => m.top + ph - ((Math.log10(t) - a) / Math.max(1, b - a)) * ph;
    ticks = [];
    for (let e = a; e <= b; e++) ticks.push(10 ** e);
  } else {
    const raw = tmax / 5;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw);
    const top = Math.ceil(tmax / step) * step;
    ys = (t) => m.top + ph - (t / top) * ph;
    ticks = [];
    for (let t = 0; t <= top + step / 2; t += step) ticks.push(t);
  }
  const svg = el('svg', {
    class: 'chart-svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-labelledby': 'exp-chart-title', 'aria-describedby': 'exp-chart-desc',
  });
  const title = el('title', { id: 'exp-chart-title' });
  title.textContent = 'Simulated boot time against memory size, eager and lazy acceptance';
  const desc = el('desc', { id: 'exp-chart-desc' });
  desc.textContent = 'The table below the chart has every value.';
  svg.append(title, desc);
  const grid = el('g', { class: 'grid', 'aria-hidden': 'true' });
  for (const t of ticks) {
    const y = ys(t);
    grid.append(el('line', { x1: m.left, x2: m.left + pw, y1: y, y2: y }));
    const label = el('text', { x: m.left - 8, y: y + 4, 'text-anchor': 'end' });
    label.textContent = t >= 1 || t === 0 ? String(+t.toFixed(1)) : String(+t.toPrecision(2));
    grid.append(label);
  }
  for (const s of sizes) {
    const x = xs(s);
    grid.append(el('line', { class: 'tick', x1: x, x2: x, y1: m.top + ph, y2: m.top + ph + 5 }));
    const label = el('text', { x, y: m.top + ph + 20, 'text-anchor': 'middle' });
    label.textContent = fmt.roundSize(s);
    grid.append(label);
  }
  const xTitle = el('text', { class: 'axis-title', x: m.left + pw / 2, y: height - 6, 'text-anchor': 'middle' });
  xTitle.textContent = 'guest memory (log scale)';
  const yTitle = el('text', { class: 'axis-title', x: -(m.top + ph / 2), y: 16, transform: 'rotate(-90)', 'text-anchor': 'middle' });
  yTitle.textContent = 'boot to userspace, s' + (logTime ? ' (log scale)' : '');
  grid.append(xTitle, yTitle);
  svg.append(grid);

  const series = new Map();
  for (const r of rows) {
    const key = r.platform + ' ' + r.policy;
    if (!series.has(key)) series.set(key, []);
    series.get(key).push(r);
  }
  const labels = [];
  for (const [key, pts] of series) {
    pts.sort((a, b) => a.memoryBytes - b.memoryBytes);
    const st = SERIES[key] || { color: '#000000', dash: '', marker: 'circle' };
    const g = el('g', { class: 'series', 'aria-hidden': 'true' });
    const d = pts.map((p, i) => (i ? 'L' : 'M') + xs(p.memoryBytes).toFixed(1) + ',' + ys(p.bootSeconds).toFixed(1)).join(' ');
    g.append(el('path', { class: 'line', d, fill: 'none', stroke: st.color, 'stroke-width': 2.5, 'stroke-dasharray': st.dash }));
    for (const p of pts) {
      const mk = marker(st.marker, xs(p.memoryBytes), ys(p.bootSeconds), st.color);
      const tip = el('title');
      tip.textContent = key.toLowerCase() + ', ' + p.memory + ': ' + p.bootSeconds.toFixed(2) + ' s';
      mk.append(tip);
      g.append(mk);
    }
    const last = pts[pts.length - 1];
    labels.push({ key, color: st.color, y: ys(last.bootSeconds), x: xs(last.memoryBytes) });
    svg.append(g);
  }
  // Direct labels at the line ends, nudged apart so they never overlap.
  labels.sort((a, b) => a.y - b.y);
  for (let i = 1; i < labels.length; i++) {
    labels[i].y = Math.max(labels[i].y, labels[i - 1].y + 15);
  }
  for (const l of labels) {
    const t = el('text', { class: 'series-label', x: l.x + 10, y: l.y + 4, fill: l.color });
    const [platform, policy] = l.key.split(' ');
    t.textContent = platform + ' ' + policy.toLowerCase();
    svg.append(t);
  }
  container.replaceChildren(svg);
}

/** Fills the experiment's table: one row per platform and size, eager, lazy and the ratio. */
export function renderBootTable(table, result) {
  const head = h('tr', {},
    h('th', { scope: 'col' }, 'Platform'), h('th', { scope: 'col', className: 'num' }, 'Memory'),
    h('th', { scope: 'col', className: 'num' }, 'Eager, s'), h('th', { scope: 'col', className: 'num' }, 'Lazy, s'),
    h('th', { scope: 'col', className: 'num' }, 'Eager / lazy'),
    h('th', { scope: 'col', className: 'num' }, 'Accepted at boot, lazy'));
  table.tHead.replaceChildren(head);
  const find = (p, m, pol) => result.rows.find((r) => r.platform === p && r.memory === m && r.policy === pol);
  const rows = [];
  const seen = new Set();
  for (const r of result.rows) {
    const key = r.platform + '|' + r.memory;
    if (seen.has(key)) continue;
    seen.add(key);
    const eager = find(r.platform, r.memory, 'EAGER');
    const lazy = find(r.platform, r.memory, 'LAZY');
    const speed = result.speedups.find((s) => s.platform === r.platform && s.memory === r.memory);
    rows.push(h('tr', {},
      h('th', { scope: 'row' }, r.platform),
      h('td', { className: 'num' }, r.memory),
      h('td', { className: 'num' }, eager ? eager.bootSeconds.toFixed(2) : '–'),
      h('td', { className: 'num' }, lazy ? lazy.bootSeconds.toFixed(2) : '–'),
      h('td', { className: 'num' }, speed ? speed.eagerOverLazy.toFixed(2) + '×' : '–'),
      h('td', { className: 'num' }, lazy ? fmt.bytes(lazy.acceptedAtBootBytes) : '–')));
  }
  table.tBodies[0].replaceChildren(...rows);
  table.hidden = false;
}
