/**
 * The web console's script (/_emulator/ui/console.js): follows the journal with long-polls on
 * /_emulator/requests/wait, lists requests, and shows one with its reply, its image and what was
 * read on it (the symbols' true corners as quadrilaterals, the health-code fields beside the
 * screenshot), or for a signature failure the client's canonical request (rebuilt by the control
 * plane's signature check) beside the server's, the first differing line marked. Written without
 * template literals so it can live in this TypeScript string.
 */
export const CONSOLE_JS = String.raw`
const api = '/_emulator';
const rows = document.getElementById('rows');
const detail = document.getElementById('detail');
const statusLine = document.getElementById('status');
const filters = { action: document.getElementById('f-action'), code: document.getElementById('f-code'), testId: document.getElementById('f-test') };
const entries = [];
let last = 0;
let selected = null;

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const child of [].concat(children ?? [])) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}
function svg(tag, attrs, children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const child of [].concat(children ?? [])) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}
async function getJson(path) {
  const response = await fetch(api + path, { credentials: 'same-origin', cache: 'no-store' });
  if (response.status === 408) return null;
  if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
  return response.json();
}
function visible(entry) {
  const want = (input, value) => !input.value.trim() || (value || '') === input.value.trim();
  return want(filters.action, entry.action) && want(filters.code, entry.code) && want(filters.testId, entry.testId);
}
function render() {
  rows.replaceChildren();
  for (const entry of entries.slice().reverse()) {
    if (!visible(entry)) continue;
    const ok = entry.code === 'OK';
    const row = el('tr', { class: 'row', tabindex: '0', 'data-request-id': entry.requestId, 'aria-selected': String(selected === entry.requestId) }, [
      el('td', {}, entry.time.slice(11, 23)),
      el('td', {}, entry.action || '—'),
      el('td', {}, entry.secretId || '—'),
      el('td', { class: ok ? 'code-ok' : 'code-bad' }, entry.code),
      el('td', {}, Math.round(entry.latencyMs)),
    ]);
    row.addEventListener('click', () => show(entry));
    row.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); show(entry); } });
    rows.append(row);
  }
}
function fieldTable(pairs) {
  return el('table', { class: 'fields' }, pairs.map(([k, v]) => el('tr', {}, [el('th', {}, k), el('td', {}, v === undefined || v === null || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : v)])));
}
function imageStage(entry) {
  const stage = el('div', { class: 'stage' });
  const img = el('img', { alt: 'uploaded image of ' + entry.requestId, src: api + '/requests/' + encodeURIComponent(entry.requestId) + '/image' });
  stage.append(img);
  img.addEventListener('load', () => {
    const overlay = svg('svg', { viewBox: '0 0 ' + img.naturalWidth + ' ' + img.naturalHeight, preserveAspectRatio: 'none', 'aria-hidden': 'true' });
    for (const mark of entry.marks || []) {
      const points = mark.corners.map((p) => p[0] + ',' + p[1]).join(' ');
      overlay.append(svg('polygon', { points: points, 'data-text': mark.text }), svg('text', { x: mark.corners[0][0], y: Math.max(14, mark.corners[0][1] - 6) }, mark.type + ': ' + mark.text.slice(0, 40)));
    }
    stage.append(overlay);
    stage.setAttribute('data-ready', 'true');
  });
  img.addEventListener('error', () => stage.replaceChildren(el('p', { class: 'muted' }, 'image not kept')));
  return stage;
}
function show(entry) {
  selected = entry.requestId;
  render();
  const parts = [el('h2', {}, (entry.action || 'request') + ' · ' + entry.code)];
  parts.push(fieldTable([
    ['RequestId', entry.requestId], ['Time', entry.time], ['Latency (ms)', entry.latencyMs], ['SecretId', entry.secretId],
    ['Region', entry.region], ['Test id', entry.testId], ['Signature', entry.signatureMethod], ['Message', entry.message],
    ['Faults applied', (entry.faults || []).map((f) => f.id + ' (' + f.effect + ')').join(', ')], ['ImageUrl', entry.imageUrl],
  ]));
  if (entry.headers) parts.push(el('details', { id: 'headers' }, [el('summary', {}, 'Request headers'), fieldTable(Object.entries(entry.headers))]));
  if (entry.params) parts.push(el('details', { id: 'params', open: '' }, [el('summary', {}, 'Parameters'), fieldTable(Object.entries(entry.params))]));
  if (entry.image) {
    const beside = [imageStage(entry)];
    if (entry.action === 'RecognizeHealthCodeOCR' && entry.result) beside.push(fieldTable(Object.entries(entry.result)));
    parts.push(el('h3', {}, 'Image'), el('div', { class: 'pair' }, beside));
  } else if (entry.action) {
    parts.push(el('p', { class: 'muted' }, 'image not kept'));
  }
  const failNext = el('button', { type: 'button', id: 'fail-next' }, 'Make this request fail next time');
  failNext.addEventListener('click', () => prefillRule(entry));
  parts.push(failNext);
  if (entry.result) parts.push(el('h3', {}, 'Reply'), el('pre', { id: 'reply' }, JSON.stringify(entry.result, null, 2)));
  if (entry.signature && entry.signature.inputs) {
    parts.push(el('h3', {}, 'Signature: what the client signed and what the server expected'), signatureCheck(entry));
  } else if (entry.signature) {
    parts.push(el('h3', {}, 'Signature: what the server signed'));
    for (const [k, v] of Object.entries(entry.signature)) parts.push(el('h4', {}, k), el('pre', {}, String(v)));
  }
  detail.replaceChildren(...parts);
}
function canonicalLines(title, text, marked) {
  const list = el('ol', { class: 'canon' }, text.split('\n').map((line, i) => el('li', i + 1 === marked ? { class: 'differs' } : {}, line || ' ')));
  return el('div', { class: 'side' }, [el('h4', {}, title), list]);
}
function signatureCheck(entry) {
  const box = el('div', { id: 'sig-check' });
  const result = el('div', { id: 'sig-result', 'aria-live': 'polite' }, el('p', { class: 'muted' }, 'Rebuilding what the client signed…'));
  const key = el('input', { id: 'sig-key', type: 'password', autocomplete: 'off' });
  const check = el('form', { id: 'sig-form' }, [el('label', {}, ['SecretKey the client used (tried first, never kept) ', key]), el('button', { type: 'submit' }, 'Check')]);
  // What the entry itself holds, shown when the check cannot run (the entry left the journal).
  const fallback = (message) => result.replaceChildren(el('p', { class: 'code-bad' }, message), canonicalLines('Server canonical request', String(entry.signature.canonicalRequest || ''), null), canonicalLines('Server string to sign', String(entry.signature.stringToSign || ''), null));
  let runs = 0;
  const run = async () => {
    const mine = ++runs;
    const response = await fetch(api + '/requests/' + encodeURIComponent(entry.requestId) + '/signature-check', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(key.value ? { secretKey: key.value } : {}) });
    const body = await response.json().catch(() => ({}));
    if (mine !== runs) return; // a later check (the key typed in) answers instead
    if (!response.ok) { fallback(body.error || 'HTTP ' + response.status); return; }
    const parts = [el('p', { id: 'sig-verdict' }, body.verdict)];
    const line = body.firstDifferentLine;
    if (body.client) {
      if (line) parts.push(el('p', { class: 'muted' }, 'First differing line: ' + line));
      parts.push(el('div', { class: 'pair canon-pair' }, [canonicalLines('Client (reconstructed)', body.client.canonicalRequest, line), canonicalLines('Server', body.server.canonicalRequest, line)]));
      parts.push(el('div', { class: 'pair canon-pair' }, [canonicalLines('Client string to sign', body.client.stringToSign, null), canonicalLines('Server string to sign', body.server.stringToSign, null)]));
    } else {
      parts.push(canonicalLines('Server canonical request', body.server.canonicalRequest, null), canonicalLines('Server string to sign', body.server.stringToSign, null));
      parts.push(el('p', { class: 'muted' }, 'Changes tried: ' + body.changesTried.join('; ') + '.'));
    }
    result.replaceChildren(...parts);
  };
  check.addEventListener('submit', (event) => { event.preventDefault(); run().catch((e) => fallback(e.message)); });
  run().catch((e) => fallback(e.message));
  box.append(check, result);
  return box;
}
async function follow() {
  for (;;) {
    try {
      const first = await getJson('/requests/wait?after=' + last + '&timeoutMs=25000');
      if (first) {
        const batch = await getJson('/requests?after=' + last + '&limit=1000');
        for (const entry of batch.requests) {
          entries.push(entry);
          last = Math.max(last, entry.seq);
        }
        if (entries.length > 2000) entries.splice(0, entries.length - 2000);
        render();
      }
      statusLine.textContent = entries.length + ' requests';
    } catch (error) {
      statusLine.textContent = 'disconnected: ' + error.message + '; retrying';
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}
for (const input of Object.values(filters)) input.addEventListener('input', render);

// ---- faults and accounts -------------------------------------------------------------------
const form = document.getElementById('rule-form');
const ruleJson = document.getElementById('rule-json');
const ruleProblem = document.getElementById('rule-problem');
function ruleFromForm() {
  const value = (name) => form.elements[name].value.trim();
  const match = {};
  for (const key of ['action', 'testId', 'secretId']) if (value(key)) match[key] = value(key);
  const rule = { match: match, effect: value('effect') };
  if (value('times')) rule.times = Number(value('times'));
  return rule;
}
function previewRule() { ruleJson.textContent = JSON.stringify(ruleFromForm(), null, 2); }
async function sendJson(method, path, body) {
  const response = await fetch(api + path, { method: method, credentials: 'same-origin', headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || 'HTTP ' + response.status);
}
async function loadFaults() {
  const [faults, accounts, limits] = await Promise.all([getJson('/faults'), getJson('/accounts'), getJson('/rate-limits')]);
  const body = document.getElementById('rules');
  body.replaceChildren();
  for (const rule of faults.rules) {
    const remove = el('button', { type: 'button', 'aria-label': 'Delete rule ' + rule.id }, 'Delete');
    remove.addEventListener('click', () => sendJson('DELETE', '/faults/' + encodeURIComponent(rule.id)).then(loadFaults, (e) => { ruleProblem.textContent = e.message; }));
    body.append(el('tr', { 'data-rule-id': rule.id }, [el('td', {}, rule.id), el('td', {}, JSON.stringify(rule.match)), el('td', {}, rule.effectLabel), el('td', {}, rule.times === null ? 'always' : rule.times), el('td', {}, rule.matched), el('td', { class: 'fired' }, rule.fired), el('td', {}, rule.source === 'api' ? remove : 'file')]));
  }
  document.getElementById('accounts').textContent = JSON.stringify(accounts.accounts, null, 2);
  document.getElementById('rate-limits').textContent = JSON.stringify(limits, null, 2);
}
function prefillRule(entry) {
  form.reset();
  form.elements.action.value = entry.action || '';
  if (entry.testId) form.elements.testId.value = entry.testId;
  else if (entry.secretId) form.elements.secretId.value = entry.secretId;
  form.elements.times.value = '1';
  view('faults');
}
form.addEventListener('input', previewRule);
form.addEventListener('submit', (event) => {
  event.preventDefault();
  ruleProblem.textContent = '';
  sendJson('POST', '/faults', ruleFromForm()).then(loadFaults, (e) => { ruleProblem.textContent = e.message; });
});
function view(name) {
  document.querySelector('main').hidden = name !== 'requests';
  document.getElementById('faults').hidden = name !== 'faults';
  if (name === 'faults') { previewRule(); loadFaults().catch((e) => { ruleProblem.textContent = e.message; }); }
}
document.getElementById('show-requests').addEventListener('click', () => view('requests'));
document.getElementById('show-faults').addEventListener('click', () => view('faults'));
getJson('/requests?limit=1000').then((page) => {
  for (const entry of page.requests) { entries.push(entry); last = Math.max(last, entry.seq); }
  render();
  follow();
}, (error) => { statusLine.textContent = error.message; });
`;
