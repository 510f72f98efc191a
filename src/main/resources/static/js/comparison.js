// The kernel comparison: the recordings of real Linux guests bundled with the service, a comparison
// run (POST /api/v1/experiments/kernel-comparison: one request that answers with the comparison,
// or with 202 and a job polled once a second), and for every run a chart of the headline distances
// stage by stage, the same numbers as a table, every measure of the stage picked, its CSV and the
// trace replay's counters. docs/VALIDATION.md explains the measures.

import * as api from './api.js';
import * as fmt from './format.js';
import { el, h, marker } from './charts.js';

const PATH = '/api/v1/experiments/kernel-comparison';
const JOB_TYPE = 'experiment:kernel-comparison';
const POLL_MS = 1000;
/** The distances a reader compares with: 0.03 of TVD, 3 % of free pages. */
const TARGET = 0.03;
/** The chart's bottom: smaller distances, 0 included, are drawn on it. */
const FLOOR = 0.001;

const $ = (sel) => document.querySelector(sel);

/** The value of a measure in a stage, or null if the stage has none of that name. */
function distance(stage, name) {
  const m = stage.measures.find((x) => x.name === name);
  return m ? m.distance : null;
}

/** The largest distance of the stage's measures that pass the test, or null if none does. */
function worst(stage, test) {
  const ds = stage.measures.filter((m) => test(m.name)).map((m) => m.distance);
  return ds.length ? Math.max(...ds) : null;
}

const ZONE_SETUP = /^(managed|min|low|high|promo|protection|pcp high|pcp batch) |^MemTotal kB$/;
/** As docs/VALIDATION.md's summary: HighAtomic (0 or 1 pageblock) stays in the stage's table. */
const PAGEBLOCKS = /^pageblocks (Unmovable|Movable|Reclaimable)$/;

/**
 * The headline series: colour (Okabe-Ito), dash and marker, so they differ without colour too.
 * At boot the kernel's files give no buddy state: free pages are MemFree there, and the zones'
 * setup (managed pages, watermarks, protection, per-cpu high and batch, MemTotal) has its own
 * series.
 */
const SERIES = [
  {
    key: 'free', label: 'free pages', note: 'relative error; at boot MemFree', target: true,
    color: '#D55E00', dash: '', marker: 'square',
    value: (s) => distance(s, s.name === 'boot' ? 'MemFree kB' : 'free pages'),
  },
  {
    key: 'order', label: 'order TVD', note: 'free pages over orders', target: true,
    color: '#0072B2', dash: '7 4', marker: 'circle',
    value: (s) => distance(s, 'order TVD'),
  },
  {
    key: 'ordertype', label: 'order×type TVD', note: 'over orders and migrate types', target: true,
    color: '#009E73', dash: '2 3', marker: 'diamond',
    value: (s) => distance(s, 'order×type TVD'),
  },
  {
    key: 'pageblocks', label: 'pageblocks', note: 'worst of Unmovable, Movable, Reclaimable; relative error',
    color: '#CC79A7', dash: '10 3 2 3', marker: 'triangle',
    value: (s) => worst(s, (n) => PAGEBLOCKS.test(n)),
  },
  {
    key: 'extfrag', label: 'extfrag events', note: 'relative error',
    color: '#000000', dash: '1 4', marker: 'cross',
    value: (s) => distance(s, 'extfrag events'),
  },
  {
    key: 'setup', label: 'zone setup', note: 'boot only: worst of managed, watermarks, protection, pcp, MemTotal',
    color: '#56B4E9', dash: '', marker: 'down',
    value: (s) => (s.name === 'boot' ? worst(s, (n) => ZONE_SETUP.test(n)) : null),
  },
];

/** What each counter of the trace replay means. */
const REPLAY = {
  heldPages: 'pages held at the start, as the kernel held before its trace began',
  allocations: 'traced allocations made again',
  failures: 'traced allocations cvmsim could not make',
  frees: 'traced frees of blocks the replay allocated',
  freedFromHeld: 'frees of memory from before the trace (held pages freed instead)',
  unmatchedFrees: 'frees of memory from before the trace with nothing held left to free',
  freesOfFailed: 'frees of allocations that failed here (skipped)',
  stillAllocated: 'blocks allocated and not freed at the end',
};

const state = {
  recordings: [],
  run: null,
  views: new Map(),
  seq: 0,
  hooks: null,
};

// ------------------------------------------------------------------ the recordings

async function loadRecordings() {
  const page = await api.get('/api/v1/kernel-recordings?size=1000');
  state.recordings = page.items;
  const list = $('#kc-recordings');
  list.replaceChildren(...page.items.map((r, i) => {
    const id = 'kc-r-' + i;
    const input = h('input', { type: 'radio', name: 'kc-recording', id, value: r.name, checked: i === 0 });
    const phases = r.phases.length
      ? r.phases.length + ' phases: ' + r.phases.map((p) => p.name).join(', ')
      : 'boot only: the boot files, no workload';
    const traced = r.events.mm_page_alloc
      ? ' · ' + fmt.compact(r.events.mm_page_alloc) + ' page allocations traced' : '';
    const label = h('label', { htmlFor: id },
      h('span', { className: 'kc-name' }, r.name),
      h('span', { className: 'kc-meta' }, 'Linux ' + r.kernel + ' · cvmsim model ' + r.model + ' · '
        + fmt.roundSize(r.memoryBytes) + ' · ' + r.vcpus + ' vCPUs' + traced),
      h('span', { className: 'kc-phases' }, phases));
    return h('li', {}, input, label);
  }));
  $('#kc-empty').hidden = page.items.length > 0;
  $('#kc-run').disabled = page.items.length === 0;
}

// ------------------------------------------------------------------ a run

/** Waits ms milliseconds; an abort of the signal (optional) ends the wait with an AbortError. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(new DOMException('aborted', 'AbortError'));
    };
    const t = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}

function active(job) {
  return job.state === 'QUEUED' || job.state === 'RUNNING';
}

function seconds(run) {
  return Math.round((Date.now() - run.started) / 1000);
}

/** Shows where a run is: waiting for the answer, or its job's state and progress. */
function showRun(run) {
  const label = $('#kc-label');
  const bar = $('#kc-progress');
  const name = run.recording.name;
  if (run.cancelled) {
    label.textContent = 'Cancelling the comparison of ' + name + '…';
  } else if (!run.job) {
    label.textContent = 'Comparing ' + name + ': waiting for the answer, ' + seconds(run) + ' s';
    bar.removeAttribute('value');
    bar.setAttribute('aria-valuetext', 'waiting for the answer');
  } else {
    const pct = Math.round(run.job.progress * 100);
    const phases = run.recording.phases.length;
    label.textContent = 'Comparing ' + name + ': job ' + run.job.id + ' ' + run.job.state.toLowerCase()
      + ', ' + pct + ' %' + (phases ? ' (' + Math.round(run.job.progress * phases) + ' of ' + phases + ' phases)' : '')
      + ', ' + seconds(run) + ' s';
    bar.value = run.job.progress;
    bar.setAttribute('aria-valuetext', pct + ' %');
  }
}

function showIdle(text) {
  $('#kc-label').textContent = text;
  const bar = $('#kc-progress');
  bar.value = 0;
  bar.removeAttribute('aria-valuetext');
  $('#kc-cancel').disabled = true;
}

/** Runs the comparison of the recording picked, until it has an answer or is cancelled. */
async function run() {
  const input = document.querySelector('input[name="kc-recording"]:checked');
  const recording = input && state.recordings.find((r) => r.name === input.value);
  if (!recording) {
    throw new api.ApiError(0, { title: 'No recording', detail: 'pick a recording to compare with' });
  }
  const current = { recording, ctl: new AbortController(), job: null, started: Date.now(), cancelled: false };
  state.run = current;
  $('#kc-cancel').disabled = false;
  showRun(current);
  const ticker = setInterval(() => showRun(current), 1000);
  state.hooks.say('Comparing cvmsim with ' + recording.name + '…');
  try {
    const result = await compare(current);
    result.job = current.job && current.job.id;
    const view = show(result, current);
    showIdle('Compared ' + recording.name + ' in ' + seconds(current) + ' s'
      + (current.job ? ' (job ' + current.job.id + ')' : '') + '.');
    state.hooks.say('Compared cvmsim with ' + recording.name + ': ' + result.stages.length + ' stages, '
      + over(result) + ' of them with a headline distance above ' + TARGET + '.');
    view.article.querySelector('h3').focus();
  } catch (err) {
    if (err.name !== 'AbortError' || !current.cancelled) {
      showIdle('The comparison of ' + recording.name + ' did not finish.');
      throw err;
    }
    showIdle('Cancelled the comparison of ' + recording.name + '.');
    await cancelJob(current);
  } finally {
    clearInterval(ticker);
    state.run = null;
  }
}

/**
 * Starts the comparison as a job at once (Prefer: respond-async, so the page knows the job to
 * cancel and to fetch the CSV from) and polls it; returns the comparison.
 */
async function compare(current) {
  const { signal } = current.ctl;
  let res = await api.post(PATH, { recording: current.recording.name },
    { signal, headers: { Prefer: 'respond-async' } });
  while (!res.stages) {
    current.job = res;
    showRun(current);
    if (res.state === 'SUCCEEDED') {
      return normalize(res.result);
    }
    if (!active(res)) {
      throw new api.ApiError(0, { title: 'Comparison ' + res.state.toLowerCase(), detail: res.error || 'job ' + res.id + ' ended without a result' });
    }
    await sleep(POLL_MS, signal);
    res = await api.get('/api/v1/jobs/' + encodeURIComponent(res.id), { signal });
  }
  return normalize(res);
}

/** The comparison as the page keeps it (the endpoint's answer and a job's result are alike). */
function normalize(r) {
  return {
    recording: r.recording,
    kernel: r.kernel,
    model: r.model,
    memoryBytes: r.memoryBytes,
    stages: r.stages,
    replay: r.replay || {},
  };
}

function cancel() {
  const current = state.run;
  if (!current || current.cancelled) return;
  current.cancelled = true;
  $('#kc-cancel').disabled = true;
  showRun(current);
  current.ctl.abort();
}

/**
 * Cancels the job of a run cancelled on the page. The service names the job at once; only when
 * the page cancels before that answer arrived is the job looked up, as the newest running
 * comparison of the same recording.
 */
async function cancelJob(current) {
  const name = current.recording.name;
  let job = current.job;
  for (let attempt = 0; !job && attempt < 2; attempt++) {
    if (attempt) await sleep(POLL_MS);
    const page = await api.get('/api/v1/jobs?size=100');
    job = page.items.find((j) => j.type === JOB_TYPE && j.parameters && j.parameters.recording === name && active(j));
  }
  if (!job) {
    state.hooks.say('Cancelled: no comparison of ' + name + ' is running any more.');
    return;
  }
  const now = await api.del('/api/v1/jobs/' + encodeURIComponent(job.id));
  $('#kc-label').textContent = 'Cancelled the comparison of ' + name + ' (job ' + now.id + ' '
    + (now.state === 'CANCELLED' ? 'cancelled' : 'stopping') + ').';
  state.hooks.say('Cancelled the comparison of ' + name + ' (job ' + now.id + ').');
}

/** Returns how many stages have a headline distance above the target. */
function over(result) {
  return result.stages.filter((s) => SERIES.some((x) => x.target && x.value(s) > TARGET)).length;
}

// ------------------------------------------------------------------ a result

/** Shows a comparison as the newest result; one of the same recording before is replaced. */
function show(result, current) {
  const old = state.views.get(result.recording);
  const id = 'kc-' + (++state.seq);
  const view = {
    id,
    result,
    stage: result.stages[0].name,
    seconds: seconds(current),
    job: current.job ? current.job.id : null,
    article: h('article', { className: 'kc-result', id }),
  };
  view.article.dataset.recording = result.recording;
  view.article.setAttribute('aria-labelledby', id + '-title');
  state.views.set(result.recording, view);
  if (old) old.article.remove();
  $('#kc-results').prepend(view.article);
  renderView(view);
  return view;
}

function renderView(view) {
  const r = view.result;
  const title = h('h3', { id: view.id + '-title', tabIndex: -1 }, r.recording);
  const meta = h('p', { className: 'meta' }, 'Linux ' + r.kernel + ' against cvmsim\'s ' + r.model + ' model · '
    + fmt.roundSize(r.memoryBytes) + ' · ' + r.stages.length + (r.stages.length === 1 ? ' stage' : ' stages')
    + ' · compared in ' + view.seconds + ' s' + (view.job ? ' (job ' + view.job + ')' : ''));
  const chart = h('div', { className: 'chart kc-chart' });
  const csv = h('button', { type: 'button', className: 'small kc-csv' }, 'Download CSV');
  csv.setAttribute('aria-describedby', view.id + '-csv-hint');
  csv.addEventListener('click', () => state.hooks.action(csv, () => downloadCsv(r)));
  view.article.replaceChildren(
    h('div', { className: 'panel-head' }, h('div', {}, title, meta),
      h('div', { className: 'kc-csv-box' }, csv,
        h('p', { className: 'hint', id: view.id + '-csv-hint' }, 'Every measure of every stage, from the comparison\'s job.'))),
    legend(),
    chart,
    h('div', { className: 'table-wrap' }, summaryTable(view)),
    h('div', { className: 'kc-detail' },
      h('section', { className: 'kc-stage' }),
      h('section', { className: 'kc-replay-box' },
        h('h4', { id: view.id + '-replay' }, 'Trace replay'), replayList(view))));
  renderChart(chart, view);
  renderStage(view);
}

function legend() {
  const items = SERIES.map((s) => h('li', {}, seriesSwatch(s), h('span', {}, h('strong', {}, s.label), ' (' + s.note + ')')));
  const target = el('svg', { class: 'swatch', width: 36, height: 14, viewBox: '0 0 36 14', 'aria-hidden': 'true', focusable: 'false' });
  target.append(el('line', { class: 'target', x1: 1, x2: 35, y1: 7, y2: 7 }));
  items.push(h('li', {}, target, h('span', {}, h('strong', {}, 'target ' + TARGET), ' (TVD 0.03, free pages 3 %)')));
  const ul = h('ul', { className: 'kc-legend' }, ...items);
  ul.setAttribute('aria-label', 'Chart legend');
  return ul;
}

function seriesSwatch(s) {
  const svg = el('svg', { class: 'swatch', width: 36, height: 14, viewBox: '0 0 36 14', 'aria-hidden': 'true', focusable: 'false' });
  svg.append(el('line', { x1: 1, x2: 35, y1: 7, y2: 7, stroke: s.color, 'stroke-width': 2.5, 'stroke-dasharray': s.dash }));
  svg.append(marker(s.marker, 18, 7, s.color));
  return svg;
}

/** A distance as the tables print it (three decimals, as the CSV and docs/VALIDATION.md). */
function d3(v) {
  return v.toFixed(3);
}

/** A cell saying there is no value, read out as "none". */
function noneCell() {
  const dash = h('span', {}, '–');
  dash.setAttribute('aria-hidden', 'true');
  return h('td', { className: 'num' }, dash, h('span', { className: 'visually-hidden' }, 'none'));
}

function summaryTable(view) {
  const head = h('tr', {}, h('th', { scope: 'col' }, 'Stage'),
    ...SERIES.map((s) => h('th', { scope: 'col', className: 'num', title: s.note }, s.label)));
  const rows = view.result.stages.map((st) => {
    const pick = h('button', { type: 'button', className: 'kc-pick' }, st.name);
    pick.setAttribute('aria-pressed', String(st.name === view.stage));
    pick.addEventListener('click', () => pickStage(view, st.name));
    const tr = h('tr', {}, h('th', { scope: 'row' }, pick));
    tr.dataset.stage = st.name;
    for (const s of SERIES) {
      const v = s.value(st);
      if (v === null) {
        tr.append(noneCell());
        continue;
      }
      const above = s.target && v > TARGET;
      const td = h('td', { className: 'num' + (above ? ' over' : '') }, d3(v));
      td.dataset.series = s.key;
      if (above) td.append(h('span', { className: 'visually-hidden' }, ' (above the target)'));
      tr.append(td);
    }
    return tr;
  });
  const table = h('table', { className: 'data kc-summary' },
    h('caption', {}, 'Headline distances per stage, the chart\'s values (bold: above the target ' + TARGET
      + '). Pick a stage for all its measures.'),
    h('thead', {}, head), h('tbody', {}, ...rows));
  return table;
}

function pickStage(view, name) {
  view.stage = name;
  view.article.querySelectorAll('.kc-pick').forEach((b) => b.setAttribute('aria-pressed', String(b.textContent === name)));
  renderChart(view.article.querySelector('.kc-chart'), view);
  renderStage(view);
  const stage = view.result.stages.find((s) => s.name === name);
  state.hooks.say('Stage ' + name + ' of ' + view.result.recording + ': ' + stage.measures.length + ' measures.');
}

function renderStage(view) {
  const stage = view.result.stages.find((s) => s.name === view.stage);
  const box = view.article.querySelector('.kc-stage');
  const hid = view.id + '-stage';
  const rows = stage.measures.map((m) => {
    const tr = h('tr', {}, h('th', { scope: 'row' }, m.name));
    tr.dataset.measure = m.name;
    for (const v of [m.kernel, m.cvmsim]) {
      if (v === null || v === undefined) {
        tr.append(noneCell());
      } else {
        const td = h('td', { className: 'num' }, Number.isInteger(v) ? fmt.int(v) : d3(v));
        td.dataset.value = String(v);
        tr.append(td);
      }
    }
    const dist = h('td', { className: 'num' }, d3(m.distance));
    dist.dataset.value = String(m.distance);
    tr.append(dist, h('td', {}, m.kernel === null || m.kernel === undefined ? 'TVD' : 'relative error'));
    return tr;
  });
  const table = h('table', { className: 'data kc-measures' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Measure'), h('th', { scope: 'col', className: 'num' }, 'Kernel'),
      h('th', { scope: 'col', className: 'num' }, 'cvmsim'), h('th', { scope: 'col', className: 'num' }, 'Distance'),
      h('th', { scope: 'col' }, 'As'))),
    h('tbody', {}, ...rows));
  table.setAttribute('aria-labelledby', hid);
  box.replaceChildren(h('h4', { id: hid }, 'Stage ' + stage.name + ': every measure'),
    h('div', { className: 'table-wrap' }, table));
}

function replayList(view) {
  const entries = Object.entries(view.result.replay);
  if (entries.length === 0) {
    return h('p', { className: 'muted' }, 'A boot recording has no trace: only its boot files are compared.');
  }
  const dl = h('dl', { className: 'kc-replay' }, ...entries.map(([k, v]) => {
    const div = h('div', { className: 'card' }, h('dt', {}, REPLAY[k] || k), h('dd', { className: 'value' }, fmt.int(v)));
    div.dataset.counter = k;
    return div;
  }));
  dl.setAttribute('aria-labelledby', view.id + '-replay');
  return dl;
}

/**
 * Fetches the comparison as CSV from its job and offers it as a file; compares again only when
 * the service no longer has the job.
 */
async function downloadCsv(result) {
  state.hooks.say('Asking the service for the CSV of ' + result.recording + '…');
  let text = null;
  if (result.job) {
    try {
      text = await api.get('/api/v1/jobs/' + encodeURIComponent(result.job), { accept: 'text/csv' });
    } catch (err) {
      if (!(err instanceof api.ApiError) || err.status !== 404) throw err;
    }
  }
  if (text === null) {
    text = await api.post(PATH, { recording: result.recording }, { accept: 'text/csv' });
  }
  const file = result.recording + '-comparison.csv';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = h('a', { href: url, download: file, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  const lines = text.trim().split('\n').length - 1;
  state.hooks.say('Saved ' + file + ': ' + lines + ' measures.');
}

// ------------------------------------------------------------------ the chart

/** Draws the headline distances of every stage on a log scale, with the target line. */
function renderChart(container, view) {
  const stages = view.result.stages;
  const width = Math.max(420, container.clientWidth || 900);
  const height = 340;
  const m = { left: 64, right: 16, top: 16, bottom: 84 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const band = pw / stages.length;
  const xs = (i) => m.left + band * (i + 0.5);
  const values = SERIES.map((s) => stages.map((st) => s.value(st)));
  const max = Math.max(1, ...values.flat().filter((v) => v !== null));
  const lo = Math.log10(FLOOR);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const ys = (v) => m.top + ph - ((Math.log10(Math.max(FLOOR, v)) - lo) / (hi - lo)) * ph;
  const tid = view.id + '-chart-title';
  const did = view.id + '-chart-desc';
  const svg = el('svg', {
    class: 'chart-svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-labelledby': tid, 'aria-describedby': did,
  });
  const title = el('title', { id: tid });
  title.textContent = 'cvmsim against ' + view.result.recording + ': headline distances per stage';
  const desc = el('desc', { id: did });
  desc.textContent = 'Log scale from ' + FLOOR + ' (and less) up; the target is ' + TARGET
    + '. The table below the chart has every value.';
  svg.append(title, desc);

  const grid = el('g', { class: 'grid', 'aria-hidden': 'true' });
  const i = stages.findIndex((s) => s.name === view.stage);
  grid.append(el('rect', { class: 'kc-band', x: m.left + band * i, y: m.top, width: band, height: ph }));
  for (let e = lo; e <= hi; e++) {
    const y = ys(10 ** e);
    grid.append(el('line', { x1: m.left, x2: m.left + pw, y1: y, y2: y }));
    const label = el('text', { x: m.left - 8, y: y + 4, 'text-anchor': 'end' });
    label.textContent = e === lo ? '≤ ' + FLOOR : String(+(10 ** e).toPrecision(1));
    grid.append(label);
  }
  stages.forEach((st, k) => {
    const x = xs(k);
    grid.append(el('line', { class: 'tick', x1: x, x2: x, y1: m.top + ph, y2: m.top + ph + 5 }));
    const y = m.top + ph + 16;
    const label = el('text', { x, y, 'text-anchor': 'end', transform: `rotate(-35 ${x} ${y})`, class: 'stage' + (k === i ? ' selected' : '') });
    label.textContent = st.name;
    grid.append(label);
  });
  const yTitle = el('text', { class: 'axis-title', x: -(m.top + ph / 2), y: 16, transform: 'rotate(-90)', 'text-anchor': 'middle' });
  yTitle.textContent = 'distance (log scale)';
  grid.append(yTitle);
  const ty = ys(TARGET);
  grid.append(el('line', { class: 'target', x1: m.left, x2: m.left + pw, y1: ty, y2: ty }));
  const tl = el('text', { class: 'target-label', x: m.left + pw - 4, y: ty - 5, 'text-anchor': 'end' });
  tl.textContent = 'target ' + TARGET;
  grid.append(tl);
  svg.append(grid);

  SERIES.forEach((s, k) => {
    const g = el('g', { class: 'kc-series', 'aria-hidden': 'true' });
    g.dataset.series = s.key;
    // one path per run of stages that have the measure
    let d = '';
    values[k].forEach((v, j) => {
      if (v === null) return;
      const joined = j > 0 && values[k][j - 1] !== null;
      d += (joined ? ' L' : ' M') + xs(j).toFixed(1) + ',' + ys(v).toFixed(1);
    });
    if (d.includes('L')) {
      g.append(el('path', { class: 'line', d: d.trim(), fill: 'none', stroke: s.color, 'stroke-width': 2.2, 'stroke-dasharray': s.dash }));
    }
    values[k].forEach((v, j) => {
      if (v === null) return;
      const mk = marker(s.marker, xs(j), ys(v), s.color);
      const tip = el('title');
      tip.textContent = s.label + ' at ' + stages[j].name + ': ' + d3(v);
      mk.append(tip);
      g.append(mk);
    });
    svg.append(g);
  });

  // a click on a stage's column picks it (the table's buttons do the same from the keyboard)
  stages.forEach((st, k) => {
    const hit = el('rect', { class: 'kc-hit', x: m.left + band * k, y: m.top, width: band, height: ph + m.bottom - 4 });
    const tip = el('title');
    tip.textContent = st.name + ': ' + SERIES.map((s) => [s.label, s.value(st)])
      .filter(([, v]) => v !== null).map(([l, v]) => l + ' ' + d3(v)).join(', ');
    hit.append(tip);
    hit.addEventListener('click', () => pickStage(view, st.name));
    svg.append(hit);
  });
  container.replaceChildren(svg);
}

// ------------------------------------------------------------------ start

/** Wires the panel; hooks: say(text) announces, action(button, fn) runs fn showing its problems. */
export async function initComparison(hooks) {
  state.hooks = hooks;
  $('#kc-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    hooks.action($('#kc-run'), run);
  });
  $('#kc-cancel').addEventListener('click', cancel);
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      state.views.forEach((v) => renderChart(v.article.querySelector('.kc-chart'), v));
    }, 200);
  });
  showIdle('No comparison yet.');
  await loadRecordings();
}
