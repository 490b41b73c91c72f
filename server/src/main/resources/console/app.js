// The Tessera console: plain DOM, no framework. Everything it shows comes from /console/api/* as JSON and
// is put into the page with textContent (never as HTML). See ConsoleApi.java for the API.

import { signedHeaders } from './sigv4.js';
import { drawChart } from './charts.js';

const BASE = '/console/';
const PAGE = 100;
const $ = sel => document.querySelector(sel);

const state = {
  session: null,     // what /api/session or /api/login answered
  region: 'us-east-1',
  clockOffset: 0,    // the node's clock minus this browser's, in ms: signatures use the node's time
  bucket: null,
  prefix: '',
  pageStarts: [''],  // where each page browsed so far starts
  next: null,
  samples: [],
  lastSeq: 0,
  timer: null,
  polling: false,
  xhr: null,         // the upload request in flight, for Cancel
  armed: null,       // {id, until}: a destructive button clicked once, waiting for the confirming click
};

// ---------- formatting ----------

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[i]}`;
}

const count = n => n.toLocaleString('en-US');
const plural = (n, one, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
const exact = n => `${count(n)} bytes`;

function age(seconds) {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  const { dataset, ...rest } = props;
  Object.assign(e, rest);
  Object.assign(e.dataset, dataset || {});
  e.append(...children.filter(c => c !== null && c !== undefined));
  return e;
}

const query = params => new URLSearchParams(Object.entries(params)
  .filter(([, v]) => v !== null && v !== undefined && v !== '')).toString();

// ---------- requests ----------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(method, path, params = {}) {
  const qs = query(params);
  const headers = method === 'GET' ? {} : { 'X-Tessera-Csrf': state.session.csrf };
  const res = await fetch(`${BASE}api/${path}${qs ? '?' + qs : ''}`,
    { method, headers, credentials: 'same-origin', cache: 'no-store' });
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (res.status === 401) {
    showLogin('Your session ended: sign in again.');
  }
  if (!res.ok) {
    throw new ApiError(res.status, body && body.error, (body && body.message) || `HTTP ${res.status}`);
  }
  return body;
}

/** PUTs a body with progress events; resolves with the JSON answer. */
function put(path, params, blob, progress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    state.xhr = xhr;
    xhr.open('PUT', `${BASE}api/${path}?${query(params)}`);
    xhr.setRequestHeader('X-Tessera-Csrf', state.session.csrf);
    xhr.setRequestHeader('Content-Type', blob.type || 'application/octet-stream');
    xhr.upload.onprogress = e => progress(e.loaded);
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (e) {
        body = null;
      }
      if (xhr.status === 200) {
        progress(blob.size);
        resolve(body);
      } else {
        if (xhr.status === 401) showLogin('Your session ended: sign in again.');
        reject(new ApiError(xhr.status, body && body.error, (body && body.message) || `HTTP ${xhr.status}`));
      }
    };
    xhr.onerror = () => reject(new Error('the connection failed'));
    xhr.onabort = () => reject(new Error('cancelled'));
    xhr.send(blob);
  });
}

function failed(where, err) {
  if (err instanceof ApiError && err.status === 401) return;
  $(where).textContent = err.message;
}

// ---------- signing in ----------

async function fetchSession() {
  const before = Date.now();
  const res = await fetch(`${BASE}api/session`, { credentials: 'same-origin', cache: 'no-store' });
  const s = await res.json();
  state.clockOffset = Date.parse(s.serverTime) - (before + Date.now()) / 2;
  state.region = s.region;
  return s;
}

async function signIn(event) {
  event.preventDefault();
  const accessKeyId = $('#access-key').value.trim();
  const secretKey = $('#secret-key').value;
  $('#secret-key').value = '';
  $('#login-error').textContent = '';
  try {
    const headers = await signedHeaders({
      method: 'POST', path: `${BASE}api/login`, host: location.host, region: state.region,
      accessKeyId, secretKey, date: new Date(Date.now() + state.clockOffset),
    });
    const res = await fetch(`${BASE}api/login`, { method: 'POST', headers, credentials: 'same-origin' });
    const body = await res.json();
    if (!res.ok) throw new Error(`${body.error}: ${body.message}`);
    start(body);
  } catch (err) {
    $('#login-error').textContent = `Not signed in. ${err.message}`;
  }
}

async function signOut() {
  try {
    await api('POST', 'logout');
  } finally {
    showLogin('Signed out.');
  }
}

function showLogin(message) {
  clearInterval(state.timer);
  state.session = null;
  $('#app').hidden = true;
  $('#logout').hidden = true;
  $('#who').textContent = '';
  $('#login').hidden = false;
  $('#login-error').textContent = message || '';
  $('#access-key').focus();
}

function start(session) {
  state.session = session;
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#logout').hidden = false;
  $('#who').textContent = `signed in as ${session.accessKeyId}`;
  const hash = new URLSearchParams(location.hash.slice(1));
  state.bucket = hash.get('bucket');
  state.prefix = hash.get('prefix') || '';
  state.samples = [];
  state.lastSeq = 0;
  poll().then(() => (state.bucket ? browse(state.bucket, state.prefix) : null));
  clearInterval(state.timer);
  state.timer = setInterval(poll, Math.max(1, session.sampleSeconds) * 1000);
}

async function poll() {
  if (state.polling || !state.session) return;
  state.polling = true;
  try {
    await Promise.all([refreshStatus(), refreshGroup(), refreshHistory(), refreshBuckets(), refreshUploads()]);
  } finally {
    state.polling = false;
  }
}

// ---------- status and charts ----------

function card(id, value, raw, sub, title) {
  const c = $(id);
  c.querySelector('.value').textContent = value;
  c.querySelector('.sub').textContent = sub;
  c.dataset.value = raw;
  c.title = title;
}

async function refreshStatus() {
  let s;
  try {
    s = await api('GET', 'status');
  } catch (err) {
    return;
  }
  const sp = s.space;
  $('#node').textContent = `${s.version} · ${s.dataDir} · up ${age(s.uptimeSeconds || 0)}`;
  card('#card-objects', bytes(sp.objectBytes), sp.objectBytes,
    `${plural(sp.objects, 'object')} in ${plural(sp.buckets, 'bucket')}`, exact(sp.objectBytes));
  card('#card-uploads', bytes(sp.uploadBytes), sp.uploadBytes,
    `${plural(sp.uploads, 'upload')}${sp.uploads ? `, oldest ${age(sp.oldestUploadAgeSeconds)}` : ''}`,
    exact(sp.uploadBytes));
  card('#card-garbage', bytes(sp.deadBytes), sp.deadBytes, `${bytes(sp.reclaimableBytes)} reclaimable now`,
    exact(sp.deadBytes));
  card('#card-segments', bytes(sp.segmentBytes), sp.segmentBytes,
    `${plural(sp.segments, 'file')}, ${bytes(sp.liveBytes)} live`, exact(sp.segmentBytes));
  card('#card-disk', s.diskFreeBytes >= 0 ? bytes(s.diskFreeBytes) : 'unknown', s.diskFreeBytes,
    s.diskTotalBytes >= 0 ? `of ${bytes(s.diskTotalBytes)}` : '', exact(s.diskFreeBytes));
  card('#card-gc', bytes(s.gc.bytesReclaimed), s.gc.bytesReclaimed,
    `reclaimed in ${plural(s.gc.cycles, 'cycle')}`, exact(s.gc.bytesReclaimed));
}

// The group panel shows only on a member of a group: a node on its own answers 404 NotInGroup.
async function refreshGroup() {
  let c;
  try {
    c = await api('GET', 'cluster');
  } catch (err) {
    $('#group').hidden = true;
    return;
  }
  $('#group').hidden = false;
  $('#group-summary').textContent = `as ${c.nodeId} sees it: term ${c.term}, commit ${c.commitIndex}, applied `
    + `${c.appliedIndex}, last snapshot at ${c.lastSnapshotIndex}` + (c.failed ? ' · FAILED' : '')
    + (c.leaderId ? '' : ' · no leader');
  const lags = new Map(c.followers.map(f => [f.id, f.lag]));
  const rows = c.peers.map(p => {
    const role = p.id === c.leaderId ? 'leader'
      : p.id === c.nodeId ? c.role.toLowerCase() : c.leaderId ? 'follower' : 'unknown';
    // lags are known on the leader only
    const lag = p.id === c.leaderId ? 0 : lags.get(p.id);
    return el('tr', { dataset: { node: p.id, role } },
      el('td', {}, p.id + (p.id === c.nodeId ? ' (this node)' : '')), el('td', {}, p.address), el('td', {}, role),
      el('td', { className: 'num' }, lag === undefined ? '–' : String(lag)));
  });
  $('#group-table tbody').replaceChildren(...rows);
}

async function refreshHistory() {
  let h;
  try {
    h = await api('GET', 'history', { after: state.lastSeq });
  } catch (err) {
    return;
  }
  if (h.samples.length) {
    state.samples.push(...h.samples);
    state.lastSeq = h.samples[h.samples.length - 1].seq;
    state.samples.splice(0, Math.max(0, state.samples.length - h.capacity));
  }
  const s = state.samples;
  const times = s.map(x => x.epochMillis);
  drawChart($('#space-chart'), $('#space-legend'), times, [
    { name: 'objects', color: '#2b6cb0', values: s.map(x => x.objectBytes) },
    { name: 'incomplete uploads', color: '#dd6b20', values: s.map(x => x.uploadBytes) },
    { name: 'garbage', color: '#c53030', values: s.map(x => x.deadBytes) },
    { name: 'segment files', color: '#718096', values: s.map(x => x.segmentBytes) },
  ], bytes, 1024, 4096);
  drawChart($('#gc-chart'), $('#gc-legend'), times, [
    { name: 'reclaimed', kind: 'bar', color: '#38a169',
      values: s.map((x, i) => (i === 0 ? 0 : Math.max(0, x.gcReclaimedBytes - s[i - 1].gcReclaimedBytes))) },
    { name: 'reclaimable now', color: '#c53030', values: s.map(x => x.reclaimableBytes) },
  ], bytes, 1024, 4096);
  $('#space-span').textContent = times.length > 1
    ? `last ${age((times[times.length - 1] - times[0]) / 1000)}, a sample every ${h.intervalSeconds} s` : '';
}

async function runGc() {
  const b = $('#gc-run');
  b.disabled = true;
  $('#gc-result').textContent = 'collecting…';
  try {
    const r = await api('POST', 'gc');
    $('#gc-result').textContent = `reclaimed ${bytes(r.bytesReclaimed)} in ${r.durationMillis} ms`;
  } catch (err) {
    $('#gc-result').textContent = err.message;
  } finally {
    b.disabled = false;
  }
  poll();
}

// ---------- destructive buttons: click, then click again within 5 s ----------

function confirmButton(label, id, action) {
  const b = el('button', { type: 'button', className: 'small danger', textContent: label });
  const armed = () => state.armed && state.armed.id === id && Date.now() < state.armed.until;
  const arm = () => {
    b.textContent = `Confirm ${label.toLowerCase()}`;
    b.classList.add('armed');
  };
  if (armed()) arm();
  b.addEventListener('click', async () => {
    if (!armed()) {
      state.armed = { id, until: Date.now() + 5000 };
      arm();
      return;
    }
    state.armed = null;
    b.disabled = true;
    await action();
  });
  return b;
}

// ---------- buckets and objects ----------

async function refreshBuckets() {
  let list;
  try {
    list = await api('GET', 'buckets');
  } catch (err) {
    failed('#bucket-error', err);
    return;
  }
  $('#bucket-error').textContent = '';
  const rows = list.map(b => el('tr', { className: b.name === state.bucket ? 'selected' : '', dataset: { bucket: b.name } },
    el('td', {}, el('button', { type: 'button', className: 'link', textContent: b.name,
      onclick: () => browse(b.name, '') })),
    el('td', { className: 'num', textContent: count(b.objects) }),
    el('td', { className: 'num', textContent: bytes(b.objectBytes), title: exact(b.objectBytes) })));
  if (!rows.length) rows.push(el('tr', {}, el('td', { colSpan: 3, className: 'muted', textContent: 'No bucket yet.' })));
  $('#bucket-table tbody').replaceChildren(...rows);
  if (!state.bucket && list.length) browse(list[0].name, '');
}

async function createBucket(event) {
  event.preventDefault();
  const name = $('#bucket-name').value.trim();
  try {
    await api('POST', 'buckets', { name });
    $('#bucket-name').value = '';
    $('#bucket-error').textContent = '';
    await browse(name, '');
    await refreshBuckets();
  } catch (err) {
    failed('#bucket-error', err);
  }
}

/** Shows {@code bucket} under {@code prefix}, from its first page. */
async function browse(bucket, prefix) {
  state.bucket = bucket;
  state.prefix = prefix;
  state.pageStarts = [''];
  history.replaceState(null, '', `#${query({ bucket, prefix })}`);
  document.querySelectorAll('#bucket-table tr').forEach(tr =>
    tr.classList.toggle('selected', tr.dataset.bucket === bucket));
  await listPage('');
}

function crumbs() {
  const parts = [el('button', { type: 'button', className: 'link', textContent: state.bucket,
    onclick: () => browse(state.bucket, '') })];
  let acc = '';
  for (const seg of state.prefix.split('/').filter(s => s)) {
    acc += `${seg}/`;
    const target = acc;
    parts.push(' / ', el('button', { type: 'button', className: 'link', textContent: seg,
      onclick: () => browse(state.bucket, target) }));
  }
  parts.push(' ', confirmButton('Delete bucket', `bucket:${state.bucket}`, async () => {
    try {
      await api('DELETE', 'buckets', { name: state.bucket });
      state.bucket = null;
      $('#object-table tbody').replaceChildren();
      $('#crumbs').replaceChildren();
      await refreshBuckets();
    } catch (err) {
      failed('#object-error', err);
      await listPage(state.pageStarts[state.pageStarts.length - 1]);
    }
  }));
  $('#crumbs').replaceChildren(...parts);
}

async function listPage(after) {
  if (!state.bucket) return;
  let page;
  try {
    page = await api('GET', 'objects', { bucket: state.bucket, prefix: state.prefix, after, limit: PAGE });
  } catch (err) {
    failed('#object-error', err);
    return;
  }
  $('#object-error').textContent = '';
  crumbs();
  const rows = [];
  for (const p of page.prefixes) {
    rows.push(el('tr', { className: 'folder', dataset: { prefix: p } },
      el('td', {}, el('button', { type: 'button', className: 'link', textContent: p.slice(state.prefix.length),
        onclick: () => browse(state.bucket, p) })),
      el('td', { colSpan: 4 })));
  }
  for (const o of page.objects) {
    const href = `${BASE}api/object?${query({ bucket: state.bucket, key: o.key })}`;
    rows.push(el('tr', { dataset: { key: o.key, size: o.size, etag: o.etag } },
      el('td', { textContent: o.key.slice(state.prefix.length), title: o.key }),
      el('td', { className: 'num', textContent: bytes(o.size), title: exact(o.size) }),
      el('td', { textContent: new Date(o.lastModified).toLocaleString() }),
      el('td', { className: 'num', textContent: o.parts ? count(o.parts) : '–' }),
      el('td', { className: 'actions' },
        el('a', { href, className: 'download', textContent: 'Download', download: '' }), ' ',
        confirmButton('Delete', `object:${state.bucket}/${o.key}`, async () => {
          try {
            await api('DELETE', 'object', { bucket: state.bucket, key: o.key });
          } catch (err) {
            failed('#object-error', err);
          }
          await listPage(state.pageStarts[state.pageStarts.length - 1]);
          poll();
        }))));
  }
  if (!rows.length) rows.push(el('tr', {}, el('td', { colSpan: 5, className: 'muted', textContent: 'Nothing here yet.' })));
  $('#object-table tbody').replaceChildren(...rows);
  state.next = page.next;
  $('#page-next').disabled = !page.truncated;
  $('#page-first').disabled = after === '';
  $('#page-info').textContent = `page ${state.pageStarts.length}: ${plural(page.prefixes.length, 'folder')}, `
    + `${plural(page.objects.length, 'object')}${page.truncated ? ', more follow' : ''}`;
}

async function nextPage() {
  if (!state.next) return;
  state.pageStarts.push(state.next);
  await listPage(state.next);
}

async function firstPage() {
  state.pageStarts = [''];
  await listPage('');
}

// ---------- uploads from this browser ----------

async function upload(file, key, progress) {
  const partSize = state.session.partSize;
  const bucket = state.bucket;
  if (file.size <= partSize) {
    return put('object', { bucket, key }, file, n => progress(n, ''));
  }
  const up = await api('POST', 'multipart', { bucket, key, type: file.type });
  const parts = Math.ceil(file.size / partSize);
  try {
    for (let i = 0; i < parts; i++) {
      const from = i * partSize;
      const blob = file.slice(from, Math.min(file.size, from + partSize), 'application/octet-stream');
      await put('multipart/part', { bucket, key, uploadId: up.uploadId, part: i + 1 }, blob,
        n => progress(from + n, ` · part ${i + 1} of ${parts}`));
    }
    return await api('POST', 'multipart/complete', { bucket, key, uploadId: up.uploadId });
  } catch (err) {
    await api('POST', 'uploads/abort', { bucket, key, uploadId: up.uploadId }).catch(() => null); // leave no parts
    throw err;
  }
}

async function startUpload(event) {
  event.preventDefault();
  const file = $('#upload-file').files[0];
  if (!file || !state.bucket) return;
  const key = $('#upload-key').value.trim() || state.prefix + file.name;
  const bar = $('#upload-progress');
  const status = $('#upload-status');
  bar.max = Math.max(1, file.size);
  bar.value = 0;
  bar.hidden = false;
  $('#upload-start').disabled = true;
  $('#upload-cancel').hidden = false;
  status.dataset.state = 'running';
  try {
    const r = await upload(file, key, (done, label) => {
      bar.value = done;
      status.textContent = `${bytes(done)} of ${bytes(file.size)}${label}`;
    });
    status.textContent = `Uploaded ${key}: ${exact(r.size)}, ETag ${r.etag}`;
    status.dataset.state = 'done';
    $('#upload-key').value = '';
    $('#upload-file').value = '';
  } catch (err) {
    status.textContent = `Upload of ${key} failed: ${err.message}`;
    status.dataset.state = 'failed';
  } finally {
    state.xhr = null;
    $('#upload-start').disabled = false;
    $('#upload-cancel').hidden = true;
  }
  await listPage(state.pageStarts[state.pageStarts.length - 1]);
  poll();
}

// ---------- uploads in progress ----------

async function refreshUploads() {
  let u;
  try {
    u = await api('GET', 'uploads', { limit: 100 });
  } catch (err) {
    failed('#uploads-error', err);
    return;
  }
  $('#uploads-error').textContent = '';
  const total = $('#uploads-total');
  total.textContent = `${plural(u.count, 'upload')} holding ${bytes(u.bytes)}${u.truncated ? ` (the first ${u.uploads.length} listed)` : ''}`;
  total.title = exact(u.bytes);
  const rows = u.uploads.map(x => el('tr', { dataset: { key: x.key, uploadId: x.uploadId, bytes: x.bytes, parts: x.parts } },
    el('td', { textContent: x.bucket }),
    el('td', { textContent: x.key }),
    el('td', { className: 'mono', textContent: `${x.uploadId.slice(0, 12)}…`, title: x.uploadId }),
    el('td', { textContent: `${age(x.ageSeconds)} ago`, title: x.initiated }),
    el('td', { className: 'num', textContent: count(x.parts) }),
    el('td', { className: 'num', textContent: bytes(x.bytes), title: exact(x.bytes) }),
    el('td', { className: 'actions' }, confirmButton('Abort', `upload:${x.uploadId}`, async () => {
      try {
        const a = await api('POST', 'uploads/abort', { bucket: x.bucket, key: x.key, uploadId: x.uploadId });
        $('#uploads-status').textContent = `Aborted ${a.key}: ${exact(a.bytes)} in ${plural(a.parts, 'part')}, given back by GC.`;
      } catch (err) {
        failed('#uploads-error', err);
      }
      poll();
    }))));
  if (!rows.length) rows.push(el('tr', {}, el('td', { colSpan: 7, className: 'muted', textContent: 'No upload in progress.' })));
  $('#upload-table tbody').replaceChildren(...rows);
}

// ---------- wiring ----------

$('#login-form').addEventListener('submit', signIn);
$('#logout').addEventListener('click', signOut);
$('#gc-run').addEventListener('click', runGc);
$('#bucket-form').addEventListener('submit', createBucket);
$('#upload-form').addEventListener('submit', startUpload);
$('#upload-cancel').addEventListener('click', () => state.xhr && state.xhr.abort());
$('#page-next').addEventListener('click', nextPage);
$('#page-first').addEventListener('click', firstPage);

fetchSession().then(s => (s.signedIn ? start(s) : showLogin()), err => showLogin(`The node did not answer: ${err.message}`));
