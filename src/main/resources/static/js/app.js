// The cvmsim page: VM list and creation, one selected VM's memory (meminfo, the memory map,
// buddyinfo, extfrag, the accept log), forms that drive it, workload jobs with live updates
// (polling every second while a job runs), the boot-time experiment, and the kernel comparison
// (comparison.js).

import * as api from './api.js';
import * as fmt from './format.js';
import { MemoryMap } from './memorymap.js';
import { installTextures } from './patterns.js';
import { renderBootChart, renderBootTable, renderBuddyinfo, renderExtfrag } from './charts.js';
import { initComparison } from './comparison.js';

const $ = (sel) => document.querySelector(sel);
const ACCEPT_LOG_ROWS = 12;

const params = new URLSearchParams(location.search);
const state = {
  vms: [],
  selected: null,
  summary: null,
  range: null,
  job: null,
  held: new Map(),
  pollMs: clampPoll(Number(params.get('poll')) || 1000),
  pollTimer: null,
  refreshing: null,
  again: false,
  mapSeq: 0,
  boot: null,
};

function clampPoll(ms) {
  return Math.max(100, Math.min(10000, ms));
}

// ------------------------------------------------------------------ messages

/** Shows an API refusal (the problem's detail) in the alert region. */
function showProblem(err, scope) {
  const box = $('#problem');
  box.replaceChildren();
  const title = document.createElement('strong');
  const status = err.status ? ' (' + err.status + ')' : '';
  title.textContent = (err.problem && err.problem.title ? err.problem.title : 'Error') + status + ': ';
  const detail = document.createElement('span');
  detail.className = 'detail';
  detail.textContent = err.message;
  box.append(title, detail);
  const fields = err.problem && Array.isArray(err.problem.errors) ? err.problem.errors : [];
  for (const f of fields) {
    const input = (scope || document).querySelector('[data-field="' + CSS.escape(f.field) + '"]');
    if (input) input.setAttribute('aria-invalid', 'true');
  }
  box.classList.add('shown');
}

function clearProblem() {
  const box = $('#problem');
  box.replaceChildren();
  box.classList.remove('shown');
  document.querySelectorAll('[aria-invalid="true"]').forEach((e) => e.removeAttribute('aria-invalid'));
}

/** Announces a result politely. */
function say(text) {
  $('#status').textContent = text;
}

/** Runs a user action: disables its button meanwhile, clears and shows problems. */
async function action(button, fn, scope) {
  clearProblem();
  if (button) button.disabled = true;
  try {
    await fn();
  } catch (err) {
    if (err instanceof api.ApiError) {
      showProblem(err, scope || (button && button.form) || document);
    } else {
      showProblem(new api.ApiError(0, { title: 'Page error', detail: String(err && err.message ? err.message : err) }));
      console.error(err);
    }
  } finally {
    if (button) button.disabled = false;
  }
}

/** Returns a typed number as a Number, a text the API must judge as is, or undefined if empty. */
function numberOrRaw(input) {
  const v = input.value.trim();
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

function amountOrRaw(text) {
  const n = fmt.parseAmount(text);
  return n === null ? String(text).trim() : n;
}

// ------------------------------------------------------------------ VM list

async function loadVms() {
  const page = await api.get('/api/v1/vms?size=1000');
  state.vms = page.items;
  renderVmList();
  return state.vms;
}

function vmLabel(vm) {
  return vm.name || vm.id;
}

/** Updates the list in place (keyed by id) so focus stays on the same button across updates. */
function renderVmList() {
  const list = $('#vm-list');
  const existing = new Map([...list.children].map((li) => [li.dataset.id, li]));
  const items = state.vms.map((vm) => {
    let li = existing.get(vm.id);
    if (!li) {
      li = document.createElement('li');
      li.dataset.id = vm.id;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'vm-item';
      b.addEventListener('click', () => action(null, () => select(vm.id)));
      const name = document.createElement('span');
      name.className = 'vm-name';
      const meta = document.createElement('span');
      meta.className = 'vm-meta';
      const meter = document.createElement('span');
      meter.className = 'meter';
      meter.setAttribute('aria-hidden', 'true');
      meter.append(document.createElement('span'));
      const share = document.createElement('span');
      share.className = 'vm-share';
      b.append(name, meta, meter, share);
      li.append(b);
    }
    const b = li.firstChild;
    const m = vm.memory;
    const frac = m.totalBytes ? m.unacceptedBytes / m.totalBytes : 0;
    b.querySelector('.vm-name').textContent = vmLabel(vm);
    b.querySelector('.vm-meta').textContent = vm.platform + ' · ' + vm.acceptPolicy.toLowerCase()
      + ' · ' + fmt.roundSize(vm.memoryBytes) + ' · ' + vm.kernel;
    b.querySelector('.meter > span').style.width = (100 * frac).toFixed(1) + '%';
    b.querySelector('.vm-share').textContent = fmt.percent(m.unacceptedBytes, m.totalBytes) + ' unaccepted';
    if (vm.id === state.selected) {
      b.setAttribute('aria-current', 'true');
    } else {
      b.removeAttribute('aria-current');
    }
    return li;
  });
  for (const [id, li] of existing) {
    if (!state.vms.some((v) => v.id === id)) li.remove();
  }
  items.forEach((li, i) => {
    if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
  });
  $('#vm-list-empty').hidden = state.vms.length > 0;
}

// ------------------------------------------------------------------ the selected VM

const map = new MemoryMap($('#map'), $('#map-legend tbody'), $('#map-readout'), (from, to) => {
  state.range = from === null ? null : { from, to };
  refreshMap().catch(showProblem);
});

async function select(id) {
  if (state.selected !== id) {
    state.range = null;
    state.job = null;
    map.cursor = -1;
    showJob(null);
  }
  state.selected = id;
  $('#no-vm').hidden = true;
  $('#vm-view').hidden = false;
  const vm = state.vms.find((v) => v.id === id);
  history.replaceState(null, '', location.pathname + location.search + '#vm=' + encodeURIComponent(vm ? vmLabel(vm) : id));
  renderVmList();
  await refresh();
  await resumeJob();
}

function deselect() {
  state.selected = null;
  state.summary = null;
  state.job = null;
  $('#vm-view').hidden = true;
  $('#no-vm').hidden = false;
  history.replaceState(null, '', location.pathname + location.search);
  renderVmList();
}

/** Refreshes everything shown for the selected VM; calls made meanwhile run once after it. */
async function refresh() {
  if (state.refreshing) {
    state.again = true;
    return state.refreshing;
  }
  state.refreshing = (async () => {
    try {
      do {
        state.again = false;
        await refreshOnce();
      } while (state.again);
    } finally {
      state.refreshing = null;
    }
  })();
  return state.refreshing;
}

async function refreshOnce() {
  const id = state.selected;
  if (!id) return;
  let summary;
  try {
    summary = await api.get(api.vmPath(id));
  } catch (err) {
    if (err.status === 404) {
      say('The VM ' + id + ' no longer exists.');
      deselect();
      await loadVms();
      return;
    }
    throw err;
  }
  state.summary = summary;
  const i = state.vms.findIndex((v) => v.id === summary.id);
  if (i >= 0) state.vms[i] = summary; else state.vms.push(summary);
  renderVmList();
  renderHead(summary);
  const booted = summary.stage === 'KERNEL';
  const [meminfo, host, buddy, extfrag] = await Promise.all([
    booted ? api.get(api.vmPath(id, 'meminfo')) : null,
    api.get(api.vmPath(id, 'host')),
    booted ? api.get(api.vmPath(id, 'buddyinfo')) : null,
    booted ? api.get(api.vmPath(id, 'extfrag')) : null,
    refreshMap(),
  ]);
  renderMemory(summary, meminfo, host);
  if (booted) {
    renderBuddyinfo($('#buddyinfo'), buddy);
    renderExtfrag($('#extfrag'), extfrag);
  } else {
    const note = 'Available once the kernel runs (the VM is stopped at ' + summary.stage + ').';
    $('#buddyinfo').textContent = note;
    $('#extfrag').textContent = note;
  }
  const after = Math.max(0, host.calls - ACCEPT_LOG_ROWS);
  renderAcceptLog(await api.get(api.vmPath(id, 'accept-log') + '?after=' + after + '&limit=' + ACCEPT_LOG_ROWS));
}

function renderHead(vm) {
  $('#vm-title').textContent = vmLabel(vm);
  const parts = [
    vm.platform === 'SNP' ? 'AMD SEV-SNP' : vm.platform === 'TDX' ? 'Intel TDX' : 'no platform',
    'accept_memory=' + vm.acceptPolicy.toLowerCase(),
    'kernel ' + vm.kernel,
    vm.vcpus + ' vCPUs',
    fmt.roundSize(vm.memoryBytes) + ' RAM',
    'booted to ' + vm.stage,
    'id ' + vm.id,
  ];
  $('#vm-meta').textContent = parts.join(' · ');
  $('#boot-vm').hidden = vm.stage === 'KERNEL';
}

function setValue(sel, bytes, kb) {
  const e = $(sel);
  e.textContent = fmt.bytes(bytes);
  e.dataset.bytes = String(bytes);
  const sub = $(sel + '-kb');
  if (sub) sub.textContent = kb === undefined ? '' : fmt.int(kb) + ' kB';
}

function renderMemory(vm, meminfo, host) {
  const m = vm.memory;
  if (meminfo) {
    setValue('#mi-total', meminfo.totalBytes, meminfo.fields.MemTotal);
    setValue('#mi-free', meminfo.freeBytes, meminfo.fields.MemFree);
    setValue('#mi-available', meminfo.availableBytes, meminfo.fields.MemAvailable);
    setValue('#mi-unaccepted', meminfo.unacceptedBytes);
  } else {
    setValue('#mi-total', m.totalBytes);
    setValue('#mi-free', m.freeBytes);
    setValue('#mi-available', NaN);
    setValue('#mi-unaccepted', m.unacceptedBytes);
  }
  const unacc = meminfo ? meminfo.unacceptedBytes : m.unacceptedBytes;
  const total = meminfo ? meminfo.totalBytes : m.totalBytes;
  $('#mi-unaccepted-bar').style.width = (total ? (100 * unacc) / total : 0).toFixed(1) + '%';
  $('#mi-unaccepted-share').textContent = (meminfo ? fmt.int(meminfo.fields.Unaccepted) + ' kB · ' : '')
    + fmt.percent(unacc, total) + ' of MemTotal';
  setValue('#host-backed', host.backedBytes);
  $('#host-sub').textContent = fmt.percent(host.backedBytes, vm.memoryBytes) + ' of RAM · '
    + fmt.int(host.hypervisorExits) + (vm.platform === 'SNP' ? ' VMGEXITs' : ' TDCALLs') + ' · '
    + fmt.nanos(host.simulatedAcceptNanos) + ' accepting';
}

function renderAcceptLog(entries) {
  const rows = entries.slice().reverse().map((e) => {
    const tr = document.createElement('tr');
    const cells = [
      [String(e.seq), 'num'], [e.phase], [e.trigger],
      [fmt.hex(e.start) + '–' + fmt.hex(e.end), 'mono'], [fmt.bytes(e.end - e.start), 'num'],
      [fmt.int(e.operations['1G']), 'num'], [fmt.int(e.operations['2M']), 'num'], [fmt.int(e.operations['4K']), 'num'],
      [fmt.nanos(e.simulatedNanos), 'num'],
    ];
    for (const [text, cls] of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    }
    return tr;
  });
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = 9;
    td.textContent = 'No accept calls yet.';
    tr.append(td);
    rows.push(tr);
  }
  $('#accept-log tbody').replaceChildren(...rows);
}

async function refreshMap() {
  const id = state.selected;
  if (!id) return;
  const seq = ++state.mapSeq;
  let q = '?buckets=' + map.bucketsWanted();
  if (state.range) {
    q += '&from=' + encodeURIComponent(state.range.from) + '&to=' + encodeURIComponent(state.range.to);
  }
  const view = await api.get(api.vmPath(id, 'memory-map') + q);
  if (seq !== state.mapSeq || id !== state.selected) return;
  if (!state.range) map.setFull(view.from, view.to);
  if (!map.full) map.setFull(0, view.to);
  if (state.range) state.range = { from: view.from, to: view.to };
  map.render(view);
  $('#map-range').textContent = fmt.hex(view.from) + ' – ' + fmt.hex(view.to) + ' · '
    + fmt.bytes(view.to - view.from) + ' in ' + view.buckets.length + ' columns of ' + fmt.bytes(view.bucketBytes)
    + (state.range ? ' · zoomed' : '');
  for (const [sel, v] of [['#map-from', view.from], ['#map-to', view.to]]) {
    if (document.activeElement !== $(sel)) $(sel).value = fmt.hex(v);
  }
}

// ------------------------------------------------------------------ jobs and live updates

function showJob(job) {
  const label = $('#job-label');
  const bar = $('#job-progress');
  $('#workload-cancel').disabled = !job || job.state === 'SUCCEEDED' || job.state === 'FAILED' || job.state === 'CANCELLED' || job.state === 'INTERRUPTED';
  if (!job) {
    label.textContent = 'No job running';
    bar.value = 0;
    bar.removeAttribute('aria-valuetext');
    $('#job-result').textContent = '';
    return;
  }
  const pct = Math.round(job.progress * 100);
  label.textContent = job.type + ' ' + job.id + ': ' + job.state.toLowerCase() + ', ' + pct + '%';
  bar.value = job.progress;
  bar.setAttribute('aria-valuetext', pct + '%');
  const r = job.result;
  if (job.state === 'SUCCEEDED' && r) {
    $('#job-result').textContent = 'Unaccepted ' + fmt.bytes(r.unacceptedBytesBefore) + ' → '
      + fmt.bytes(r.unacceptedBytesAfter) + ', ' + fmt.int(r.acceptedChunks) + ' chunks accepted on demand ('
      + fmt.nanos(r.simulatedAcceptNanos) + ' simulated), ' + fmt.int(r.allocations) + ' allocations, '
      + fmt.int(r.failures) + ' failed, in ' + fmt.int(r.wallMillis) + ' ms.';
  } else if (job.state === 'FAILED') {
    $('#job-result').textContent = 'Failed: ' + job.error;
  } else {
    $('#job-result').textContent = '';
  }
}

function jobActive(job) {
  return job && (job.state === 'QUEUED' || job.state === 'RUNNING');
}

/** Picks up a job still running on the selected VM (after a reload or a switch of VM). */
async function resumeJob() {
  const page = await api.get(api.vmPath(state.selected, 'jobs') + '?size=5');
  const running = page.items.find(jobActive);
  const latest = running || page.items[0] || null;
  if (latest && (!state.job || state.job.id !== latest.id)) {
    state.job = latest;
    showJob(latest);
  }
  if (running) schedulePoll();
}

function schedulePoll() {
  clearTimeout(state.pollTimer);
  state.pollTimer = setTimeout(poll, state.pollMs);
}

/** One live update while a job runs: the job's progress, then every view of its VM. */
async function poll() {
  const job = state.job;
  if (!job) return;
  try {
    const now = await api.get('/api/v1/jobs/' + encodeURIComponent(job.id));
    if (!state.job || state.job.id !== now.id) return;
    state.job = now;
    showJob(now);
    if (now.vmId === state.selected) await refresh();
    if (jobActive(now)) {
      schedulePoll();
    } else if (now.state === 'FAILED') {
      showProblem(new api.ApiError(0, { title: 'Job failed', detail: now.error || 'no reason given' }));
    } else if (now.state === 'SUCCEEDED' && now.result) {
      say(now.type + ' ' + now.id + ' succeeded: Unaccepted ' + fmt.bytes(now.result.unacceptedBytesBefore)
        + ' → ' + fmt.bytes(now.result.unacceptedBytesAfter) + '.');
    } else {
      say(now.type + ' ' + now.id + ' ' + now.state.toLowerCase() + '.');
    }
  } catch (err) {
    showProblem(err);
    if (err.status !== 404) schedulePoll();
  }
}

// ------------------------------------------------------------------ forms

function wireForms() {
  $('#create-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    action($('#create-submit'), async () => {
      const body = {
        memory: $('#c-memory').value.trim(),
        platform: $('#c-platform').value,
        kernel: $('#c-kernel').value,
        acceptPolicy: document.querySelector('input[name="acceptPolicy"]:checked').value,
      };
      const name = $('#c-name').value.trim();
      if (name) body.name = name;
      const vcpus = numberOrRaw($('#c-vcpus'));
      if (vcpus !== undefined) body.vcpus = vcpus;
      const vm = await api.post('/api/v1/vms', body);
      say('Created ' + vmLabel(vm) + ': ' + fmt.bytes(vm.memory.unacceptedBytes) + ' unaccepted of '
        + fmt.bytes(vm.memory.totalBytes) + '.');
      await loadVms();
      await select(vm.id);
    });
  });

  $('#alloc-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    action($('#alloc-submit'), async () => {
      // the cheapest answer: counts and a batch id, which frees them all later
      const body = {
        order: numberOrRaw($('#a-order')), count: numberOrRaw($('#a-count')), gfp: $('#a-gfp').value, result: 'summary',
      };
      const res = await api.post(api.vmPath(state.selected, 'allocations'), body);
      if (res.allocated > 0) heldOf(state.selected).push({ batch: res.batch, blocks: res.allocated });
      const zones = Object.entries(res.zones).map(([z, n]) => fmt.int(n) + ' from ' + z).join(', ');
      say('Allocated ' + fmt.int(res.allocated) + ' block(s) of order ' + body.order
        + (zones ? ' (' + zones + '; batch ' + res.batch + ')' : '') + '; ' + fmt.int(res.failed) + ' failed.');
      showHeld();
      await refresh();
    });
  });

  $('#free-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    action($('#free-submit'), async () => {
      const held = heldOf(state.selected);
      if ($('#f-mode-last').checked) {
        const n = Number($('#f-last').value);
        if (!(n >= 1)) throw new api.ApiError(0, { title: 'Nothing to free', detail: 'give how many of the latest allocation requests to free (1 or more)' });
        if (held.length === 0) throw new api.ApiError(0, { title: 'Nothing to free', detail: 'this page has made no allocation on this VM yet' });
        // each allocation request is a batch: one POST /frees {"batch"} frees what is left of it
        let freed = 0;
        let forgotten = 0;
        const batches = held.splice(-n, n).reverse();
        try {
          while (batches.length > 0) {
            try {
              freed += (await api.post(api.vmPath(state.selected, 'frees'), { batch: batches[0].batch })).freed;
            } catch (err) {
              // 404: the service no longer remembers the batch (it keeps the latest ones only)
              if (!(err instanceof api.ApiError) || err.status !== 404) throw err;
              forgotten++;
            }
            batches.shift();
          }
        } finally {
          held.push(...batches.reverse());
          showHeld();
        }
        say('Freed ' + fmt.int(freed) + ' block(s).' + (forgotten === 0 ? ''
          : ' ' + forgotten + ' older request(s) were no longer known to the service; free their blocks by pfn.'));
      } else {
        const pfns = $('#f-pfns').value.split(/[\s,]+/).filter((t) => t).map(amountOrRaw);
        const res = await api.post(api.vmPath(state.selected, 'frees'), { pfns });
        say('Freed ' + fmt.int(res.freed) + ' block(s).');
      }
      await refresh();
    });
  });

  $('#accept-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    action($('#accept-submit'), async () => {
      const body = { start: amountOrRaw($('#x-start').value), end: amountOrRaw($('#x-end').value) };
      const res = await api.post(api.vmPath(state.selected, 'accept'), body);
      const ops = { '1G': 0, '2M': 0, '4K': 0 };
      res.accepted.forEach((a) => Object.keys(ops).forEach((k) => { ops[k] += a.operations[k]; }));
      say('accept_memory: ' + res.accepted.length + ' arch_accept_memory() call(s), ' + ops['1G'] + ' × 1G, '
        + ops['2M'] + ' × 2M, ' + ops['4K'] + ' × 4K; the bitmap still marks ' + fmt.bytes(res.unacceptedBytes) + '.');
      await refresh();
    });
  });

  const showParams = () => {
    const type = $('#w-type').value;
    document.querySelectorAll('#workload-form [data-for]').forEach((e) => {
      e.hidden = !e.dataset.for.split(' ').includes(type);
    });
  };
  $('#w-type').addEventListener('change', showParams);
  showParams();

  $('#workload-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    action($('#workload-submit'), async () => {
      const type = $('#w-type').value;
      const body = { type };
      const put = (name, sel) => {
        const v = numberOrRaw($(sel));
        if (v !== undefined) body[name] = v;
      };
      if (type === 'memory-hog') { put('fill', '#w-fill'); put('release', '#w-release'); }
      if (type === 'fragmenter') { put('fill', '#w-fill'); put('every', '#w-every'); }
      if (type === 'kernel-build') { put('parallelism', '#w-parallelism'); put('events', '#w-events'); }
      put('seed', '#w-seed');
      const job = await api.post(api.vmPath(state.selected, 'workloads'), body);
      state.job = job;
      showJob(job);
      say('Started ' + type + ' as ' + job.id + '; live updates every ' + state.pollMs + ' ms.');
      schedulePoll();
    });
  });

  $('#workload-cancel').addEventListener('click', () => {
    action($('#workload-cancel'), async () => {
      if (!state.job) return;
      const job = await api.del('/api/v1/jobs/' + encodeURIComponent(state.job.id));
      state.job = job;
      showJob(job);
      say('Cancellation of ' + job.id + ' requested.');
      schedulePoll();
    });
  });

  $('#map-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    action($('#map-form button[type="submit"]'), async () => {
      const prev = state.range;
      state.range = { from: $('#map-from').value.trim(), to: $('#map-to').value.trim() };
      try {
        await refreshMap();
      } catch (err) {
        state.range = prev;
        throw err;
      }
    });
  });
  $('#zoom-in').addEventListener('click', () => map.zoom(0.5));
  $('#zoom-out').addEventListener('click', () => map.zoom(2));
  $('#pan-left').addEventListener('click', () => map.pan(-1));
  $('#pan-right').addEventListener('click', () => map.pan(1));
  $('#zoom-reset').addEventListener('click', () => map.reset());

  $('#refresh-vms').addEventListener('click', () => action($('#refresh-vms'), loadVms));
  $('#refresh-vm').addEventListener('click', () => action($('#refresh-vm'), refresh));
  $('#boot-vm').addEventListener('click', () => action($('#boot-vm'), async () => {
    await api.post(api.vmPath(state.selected, 'boot'));
    say('Booted to the kernel.');
    await refresh();
  }));
  $('#delete-vm').addEventListener('click', () => {
    const vm = state.summary;
    if (!vm || !window.confirm('Delete the VM ' + vmLabel(vm) + '?')) return;
    action($('#delete-vm'), async () => {
      await api.del(api.vmPath(vm.id));
      say('Deleted ' + vmLabel(vm) + '.');
      state.held.delete(vm.id);
      deselect();
      await loadVms();
      $('#vm-list').querySelector('button')?.focus();
    });
  });

  $('#exp-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    action($('#exp-submit'), runExperiment);
  });
  $('#exp-log').addEventListener('change', () => {
    if (state.boot) renderBootChart($('#exp-chart'), state.boot.rows, $('#exp-log').checked);
  });

  const token = $('#api-token');
  token.value = api.getToken();
  token.addEventListener('change', () => api.setToken(token.value));
  const poll = $('#poll-ms');
  poll.value = state.pollMs;
  poll.addEventListener('change', () => { state.pollMs = clampPoll(Number(poll.value) || 1000); });
}

function heldOf(id) {
  if (!state.held.has(id)) state.held.set(id, []);
  return state.held.get(id);
}

function showHeld() {
  const held = state.selected ? heldOf(state.selected) : [];
  const blocks = held.reduce((sum, b) => sum + b.blocks, 0);
  $('#f-held').textContent = held.length + ' allocation request(s) made from this page (' + fmt.int(blocks)
    + ' block(s)) are still held.';
}

async function runExperiment() {
  const body = {
    platforms: [...document.querySelectorAll('input[name="exp-platform"]:checked')].map((c) => c.value),
    memorySizes: $('#exp-sizes').value.split(/[\s,]+/).filter((t) => t),
    policies: ['EAGER', 'LAZY'],
    vcpus: numberOrRaw($('#exp-vcpus')),
    hostPageSize: $('#exp-page').value,
  };
  say('Running the boot-time experiment…');
  let res = await api.post('/api/v1/experiments/boot-time', body);
  while (res && !res.rows && jobActive(res)) {
    await new Promise((r) => setTimeout(r, state.pollMs));
    res = await api.get('/api/v1/jobs/' + encodeURIComponent(res.id));
  }
  const result = res.rows ? res : res.result;
  if (!result) {
    throw new api.ApiError(0, { title: 'Experiment ' + res.state.toLowerCase(), detail: res.error || 'no result' });
  }
  state.boot = result;
  renderBootChart($('#exp-chart'), result.rows, $('#exp-log').checked);
  renderBootTable($('#exp-table'), result);
  const best = result.speedups.reduce((a, b) => (b.eagerOverLazy > a.eagerOverLazy ? b : a), result.speedups[0]);
  say('Boot-time experiment done: ' + result.rows.length + ' guests booted'
    + (best ? '; lazy acceptance is up to ' + best.eagerOverLazy.toFixed(1) + '× faster (' + best.platform + ', ' + best.memory + ').' : '.'));
}

// ------------------------------------------------------------------ start

let resizeTimer = null;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (state.selected) refreshMap().catch(showProblem);
    if (state.boot) renderBootChart($('#exp-chart'), state.boot.rows, $('#exp-log').checked);
  }, 200);
});

async function start() {
  installTextures();
  wireForms();
  showJob(null);
  showHeld();
  await action(null, async () => {
    await loadVms();
    const wanted = decodeURIComponent((location.hash.match(/vm=([^&]+)/) || [])[1] || '');
    const vm = state.vms.find((v) => v.id === wanted || v.name === wanted) || state.vms[0];
    if (vm) await select(vm.id);
  });
  await action(null, () => initComparison({ say, action }));
  document.body.dataset.ready = 'true';
}

start();
