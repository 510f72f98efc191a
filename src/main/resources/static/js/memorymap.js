// The memory-map picture: draws GET /vms/{id}/memory-map as inline SVG, one column per bucket
// split by state, and turns drags, the wheel, buttons and keys into new ranges to fetch.

import * as fmt from './format.js';
import { swatch, textureFill } from './patterns.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const BAR_HEIGHT = 150;
const AXIS_HEIGHT = 26;
/** The smallest range one can zoom to: 256 pages. */
const MIN_SPAN = 1 << 20;

function el(name, attrs) {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs || {})) {
    e.setAttribute(k, v);
  }
  return e;
}

/** Returns an axis label: the address as a size with at most two decimals, e.g. "1.5 GiB". */
function axisLabel(v) {
  if (v === 0) return '0';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let u = 0;
  let x = v;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return parseFloat(x.toFixed(2)) + ' ' + units[u];
}

export class MemoryMap {
  /**
   * @param container the element the SVG goes into
   * @param legendBody the tbody of the legend and totals table
   * @param readout the element that describes the bucket under the pointer or keyboard cursor
   * @param onRange called with (from, to) when the user asks for another range; null = reset
   */
  constructor(container, legendBody, readout, onRange) {
    this.container = container;
    this.legendBody = legendBody;
    this.readout = readout;
    this.onRange = onRange;
    this.view = null;
    this.full = null;
    this.cursor = -1;
    this.drag = null;
  }

  /** Sets the whole range of the guest (what Reset shows). */
  setFull(from, to) {
    this.full = { from, to };
  }

  /** Returns the number of buckets to ask for: about one per 3 pixels. */
  bucketsWanted() {
    const w = this.container.clientWidth || 900;
    return Math.max(128, Math.min(600, Math.round(w / 3)));
  }

  /** Draws a view (the JSON answer). */
  render(view) {
    if (this.drag) {
      this.pending = view;
      return;
    }
    this.pending = null;
    this.view = view;
    if (this.cursor >= view.buckets.length) {
      this.cursor = view.buckets.length - 1;
    }
    const width = Math.max(320, this.container.clientWidth || 900);
    this.width = width;
    const n = view.buckets.length;
    const colors = Object.fromEntries(view.states.map((s) => [s.name, s.color]));
    const order = view.states.map((s) => s.name);
    const svg = this.svg || this.create();
    svg.setAttribute('width', width);
    svg.setAttribute('height', BAR_HEIGHT + AXIS_HEIGHT);
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + (BAR_HEIGHT + AXIS_HEIGHT));
    const title = el('title', { id: 'map-svg-title' });
    title.textContent = 'Physical memory map';
    const desc = el('desc', { id: 'map-svg-desc' });
    desc.textContent = this.summary();
    const content = [title, desc];

    const bars = el('g', { class: 'bars' });
    const textures = el('g', { class: 'textures', 'pointer-events': 'none' });
    const col = width / n;
    const span = (b) => b.end - b.start;
    const single = (b) => {
      const keys = Object.keys(b.bytes);
      return keys.length === 1 && b.bytes[keys[0]] === span(b) ? keys[0] : null;
    };
    const addRect = (state, x, y, w, h) => {
      bars.append(el('rect', {
        class: 'seg', 'data-state': state, x: x.toFixed(2), y: y.toFixed(2),
        width: (w + 0.35).toFixed(2), height: h.toFixed(2), fill: colors[state],
      }));
      const tex = textureFill(state);
      if (tex) {
        textures.append(el('rect', {
          x: x.toFixed(2), y: y.toFixed(2), width: (w + 0.35).toFixed(2), height: h.toFixed(2),
          fill: tex,
        }));
      }
    };
    // Runs of buckets wholly in one state become one rectangle, so textures stay continuous.
    let i = 0;
    while (i < n) {
      const b = view.buckets[i];
      const s = single(b);
      if (s) {
        let j = i + 1;
        while (j < n && single(view.buckets[j]) === s) j++;
        addRect(s, i * col, 0, (j - i) * col, BAR_HEIGHT);
        i = j;
        continue;
      }
      let y = 0;
      for (const state of order) {
        const v = b.bytes[state];
        if (!v) continue;
        const h = (BAR_HEIGHT * v) / span(b);
        addRect(state, i * col, y, col, h);
        y += h;
      }
      i++;
    }
    content.push(bars, textures);
    content.push(el('rect', {
      x: 0.5, y: 0.5, width: width - 1, height: BAR_HEIGHT - 1, fill: 'none', stroke: '#4d4d4d',
      'stroke-width': 1, 'pointer-events': 'none',
    }));
    content.push(this.axis(view, width));
    this.cursorRect = el('rect', { class: 'cursor', x: 0, y: 0, width: 0, height: BAR_HEIGHT, visibility: 'hidden' });
    this.selRect = el('rect', { class: 'selection', x: 0, y: 0, width: 0, height: BAR_HEIGHT, visibility: 'hidden' });
    content.push(this.cursorRect, this.selRect);
    // The same <svg> element stays in place, so keyboard focus survives live updates.
    svg.replaceChildren(...content);
    this.showCursor();
    this.renderLegend(view);
  }

  /** Creates the persistent <svg> element with its pointer and keyboard handlers. */
  create() {
    const svg = el('svg', {
      class: 'map-svg',
      role: 'img',
      tabindex: '0',
      'aria-labelledby': 'map-svg-title map-svg-desc',
      'aria-describedby': 'map-help',
    });
    this.attach(svg);
    this.container.replaceChildren(svg);
    this.svg = svg;
    return svg;
  }

  axis(view, width) {
    const g = el('g', { class: 'axis', 'aria-hidden': 'true' });
    const span = view.to - view.from;
    let step = 4096;
    while (span / step > 8) step *= 2;
    const first = Math.ceil(view.from / step) * step;
    for (let t = first; t <= view.to; t += step) {
      const x = ((t - view.from) / span) * width;
      g.append(el('line', { x1: x, x2: x, y1: BAR_HEIGHT, y2: BAR_HEIGHT + 5, stroke: '#4d4d4d' }));
      const anchor = x < 30 ? 'start' : x > width - 30 ? 'end' : 'middle';
      const label = el('text', { x, y: BAR_HEIGHT + 18, 'text-anchor': anchor });
      label.textContent = axisLabel(t);
      g.append(label);
    }
    return g;
  }

  renderLegend(view) {
    const total = view.to - view.from;
    const rows = view.states.map((s) => {
      const tr = document.createElement('tr');
      const v = view.totals[s.name] || 0;
      if (!v) tr.className = 'zero';
      tr.dataset.state = s.name;
      const cells = [swatch(s.name, s.color), s.name, s.description, fmt.bytes(v), fmt.percent(v, total)];
      cells.forEach((c, k) => {
        const td = document.createElement(k === 1 ? 'th' : 'td');
        if (k === 1) td.scope = 'row';
        if (k >= 3) td.className = 'num';
        if (typeof c === 'string') td.textContent = c; else td.append(c);
        tr.append(td);
      });
      return tr;
    });
    this.legendBody.replaceChildren(...rows);
  }

  /** Returns a sentence with the range and the share of each state. */
  summary() {
    const v = this.view;
    const total = v.to - v.from;
    const parts = v.states
      .filter((s) => v.totals[s.name] > 0)
      .map((s) => s.description + ' ' + fmt.percent(v.totals[s.name], total));
    return 'Addresses ' + fmt.hex(v.from) + ' to ' + fmt.hex(v.to) + ' in ' + v.buckets.length
      + ' buckets of ' + fmt.bytes(v.bucketBytes) + ': ' + parts.join(', ') + '.';
  }

  describeBucket(i) {
    const v = this.view;
    const b = v.buckets[i];
    const span = b.end - b.start;
    const parts = v.states
      .filter((s) => b.bytes[s.name])
      .map((s) => s.name + ' ' + fmt.bytes(b.bytes[s.name]) + ' (' + fmt.percent(b.bytes[s.name], span) + ')');
    return 'Bucket ' + (i + 1) + ' of ' + v.buckets.length + ': ' + fmt.hex(b.start) + '–'
      + fmt.hex(b.end) + ' (' + fmt.bytes(span) + '): ' + parts.join(', ');
  }

  showCursor() {
    if (!this.cursorRect || this.cursor < 0 || !this.view) {
      return;
    }
    const col = this.width / this.view.buckets.length;
    this.cursorRect.setAttribute('x', (this.cursor * col).toFixed(2));
    this.cursorRect.setAttribute('width', Math.max(2, col).toFixed(2));
    this.cursorRect.setAttribute('visibility', 'visible');
    this.readout.textContent = this.describeBucket(this.cursor);
  }

  addressAt(x) {
    const v = this.view;
    const f = Math.min(1, Math.max(0, x / this.width));
    return v.from + f * (v.to - v.from);
  }

  /** Asks for [from, to), clamped to the guest and at least MIN_SPAN wide. */
  request(from, to) {
    const full = this.full;
    let span = Math.max(MIN_SPAN, to - from);
    span = Math.min(span, full.to - full.from);
    let f = Math.max(full.from, Math.round((from + to) / 2 - span / 2));
    f = Math.min(f, full.to - span);
    f = Math.floor(f / 4096) * 4096;
    let t = Math.min(full.to, f + Math.ceil(span / 4096) * 4096);
    if (t - f < 1) t = f + 1;
    if (f === full.from && t === full.to) {
      this.onRange(null);
    } else {
      this.onRange(f, t);
    }
  }

  /** Zooms by factor (below 1: in) around an address (default: the middle or the cursor). */
  zoom(factor, center) {
    const v = this.view;
    if (!v) return;
    let c = center;
    if (c === undefined) {
      c = this.cursor >= 0 ? (v.buckets[this.cursor].start + v.buckets[this.cursor].end) / 2 : (v.from + v.to) / 2;
    }
    const from = c - (c - v.from) * factor;
    const to = c + (v.to - c) * factor;
    this.request(from, to);
  }

  /** Moves the range by half its width; dir -1 is left. */
  pan(dir) {
    const v = this.view;
    if (!v) return;
    const d = ((v.to - v.from) / 2) * dir;
    this.request(v.from + d, v.to + d);
  }

  reset() {
    this.cursor = -1;
    this.onRange(null);
  }

  attach(svg) {
    const localX = (ev) => {
      const r = svg.getBoundingClientRect();
      return ((ev.clientX - r.left) / r.width) * this.width;
    };
    svg.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      svg.setPointerCapture(ev.pointerId);
      this.drag = { x0: localX(ev) };
    });
    svg.addEventListener('pointermove', (ev) => {
      const x = localX(ev);
      if (this.drag) {
        const a = Math.min(this.drag.x0, x);
        const w = Math.abs(x - this.drag.x0);
        this.selRect.setAttribute('x', a);
        this.selRect.setAttribute('width', w);
        this.selRect.setAttribute('visibility', w > 3 ? 'visible' : 'hidden');
        this.readout.textContent = 'Zoom to ' + fmt.hex(this.addressAt(a)) + '–' + fmt.hex(this.addressAt(a + w));
      } else if (this.view) {
        const i = Math.min(this.view.buckets.length - 1, Math.floor((x / this.width) * this.view.buckets.length));
        this.readout.textContent = this.describeBucket(Math.max(0, i));
      }
    });
    svg.addEventListener('pointerup', (ev) => {
      if (!this.drag) return;
      const x = localX(ev);
      const x0 = this.drag.x0;
      this.drag = null;
      this.selRect.setAttribute('visibility', 'hidden');
      if (this.pending) {
        this.render(this.pending);
      }
      if (Math.abs(x - x0) > 5) {
        this.request(this.addressAt(Math.min(x, x0)), this.addressAt(Math.max(x, x0)));
      } else {
        this.cursor = Math.min(this.view.buckets.length - 1, Math.floor((x / this.width) * this.view.buckets.length));
        this.showCursor();
      }
    });
    svg.addEventListener('pointercancel', () => {
      this.drag = null;
      this.selRect.setAttribute('visibility', 'hidden');
      if (this.pending) {
        this.render(this.pending);
      }
    });
    svg.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      this.zoom(ev.deltaY < 0 ? 0.5 : 2, this.addressAt(localX(ev)));
    }, { passive: false });
    svg.addEventListener('keydown', (ev) => {
      const n = this.view ? this.view.buckets.length : 0;
      const move = (d) => {
        // The first press puts the cursor on the first (or last) bucket.
        const next = this.cursor < 0 ? (d > 0 ? 0 : n - 1) : this.cursor + d;
        this.cursor = Math.max(0, Math.min(n - 1, next));
        this.showCursor();
      };
      switch (ev.key) {
        case 'ArrowRight': move(ev.shiftKey ? 10 : 1); break;
        case 'ArrowLeft': move(ev.shiftKey ? -10 : -1); break;
        case 'Home': this.cursor = 0; this.showCursor(); break;
        case 'End': this.cursor = n - 1; this.showCursor(); break;
        case '+': case '=': this.zoom(0.5); break;
        case '-': case '_': this.zoom(2); break;
        case '0': this.reset(); break;
        case 'Enter':
          if (this.cursor >= 0) {
            const b = this.view.buckets[this.cursor];
            this.request(b.start, b.end);
          }
          break;
        default: return;
      }
      ev.preventDefault();
    });
    svg.addEventListener('pointerleave', () => {
      if (this.cursor >= 0) this.showCursor();
    });
  }
}
