'use strict';

const state = { status: '', selected: null, invoice: null };
const $ = (selector) => document.querySelector(selector);

function money(amount, currency) {
  const value = Number(amount);
  return (Number.isFinite(value) ? value.toFixed(2) : amount) + ' ' + (currency || '');
}

/** A tax rate as a percentage: 0.2 → "20 %". */
function percent(rate) {
  const value = Number(rate);
  return Number.isFinite(value) ? Number((value * 100).toFixed(2)) + ' %' : String(rate ?? '');
}

/** Where the page keeps the name it acts as, so it outlives a reload. */
const USER_KEY = 'eventfold-invoices.user';

/**
 * The X-User header of every command: the "acting as" name, or none when the field is empty.
 * Nothing checks it (the example has no authentication). HTTP headers carry Latin-1 only, so a
 * name beyond it is not sent (the field shows it is invalid) rather than failing the request.
 */
function userHeaders() {
  const input = $('#acting-as');
  const name = input.value.trim();
  return name && input.checkValidity() ? { 'X-User': name } : {};
}

function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/** A random id of letters, digits and dashes, as the API takes for invoices, line items and idempotency keys. */
function newId(prefix) {
  return prefix + '-' + Math.random().toString(36).slice(2, 10).toUpperCase() + Math.random().toString(36).slice(2, 6).toUpperCase();
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many times a command is sent while the service answers 503 or 504 (each waits up to the gateway's 10 s). */
const COMMAND_ATTEMPTS = 6;

/**
 * POSTs a command, and sends it again after a 503 (not ready: Kafka Streams still taking its
 * tasks) or a 504 (no answer in time) under the same Idempotency-Key, so that it is handled once
 * however often it is sent; `waiting` shows why the page is still waiting.
 */
async function sendCommand(url, headers, payload, waiting) {
  const key = newId('cmd');
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, ...headers }, body: JSON.stringify(payload),
    });
    if ((response.status !== 503 && response.status !== 504) || attempt === COMMAND_ATTEMPTS) return response;
    waiting(describe(await body(response), response.status).text + ' Sending it again (' + attempt + ' of ' + (COMMAND_ATTEMPTS - 1) + ').');
    await sleep(1000 * Number(response.headers.get('Retry-After') || 1));
  }
}

/** The JSON body of a response, or an error object when the server sent something else. */
async function body(response) {
  const type = response.headers.get('Content-Type') || '';
  if (type.startsWith('application/json')) return response.json();
  return { message: 'The server answered ' + response.status + ' ' + response.statusText + '.' };
}

function showMessage(target, text, ok) {
  const element = document.querySelector(`.message[data-for="${target}"]`);
  element.textContent = text || '';
  element.className = 'message ' + (ok ? 'ok' : 'error');
}

/** Turns a command result into the sentence shown under the forms. */
function describe(result, status) {
  if (status === 200 || status === 201) return { ok: true, text: 'Done: the invoice is at version ' + result.version + '.' };
  if (status === 422 && result.rejection) return { ok: false, text: result.rejection.message + ' (' + result.rejection.code + ')' };
  if (status === 409 && result.version !== undefined) return { ok: false, text: 'Someone changed this invoice meanwhile (now version ' + result.version + '): reloaded, try again.' };
  if (status === 504) return { ok: false, text: 'No answer in time; command ' + result.commandId + ' may still be handled.' };
  return { ok: false, text: (result.message || result.errorType || 'Request failed') };
}

async function loadList() {
  const response = await fetch('/api/invoices' + (state.status ? '?status=' + state.status : ''));
  if (!response.ok) return;
  const rows = await response.json();
  const body = $('#invoice-rows');
  if (rows.length === 0) {
    body.innerHTML = '<tr><td colspan="5" class="empty">No invoices yet.</td></tr>';
    return;
  }
  body.innerHTML = rows.map((row) => `
    <tr data-id="${escapeHtml(row.invoiceId)}" class="${row.invoiceId === state.selected ? 'selected' : ''}">
      <td>${escapeHtml(row.invoiceId)}</td>
      <td>${escapeHtml(row.customerName)}</td>
      <td>${escapeHtml(row.dueDate)}</td>
      <td class="num">${escapeHtml(money(row.total, row.currency))}</td>
      <td><span class="badge ${escapeHtml(row.status)}">${escapeHtml(row.status)}</span></td>
    </tr>`).join('');
}

/** Each customer's balance per currency, from the account projection; settled accounts show nothing owed. */
async function loadAccounts() {
  const response = await fetch('/api/accounts');
  if (!response.ok) return;
  const rows = await response.json();
  $('#account-rows').innerHTML = rows.length === 0
    ? '<tr><td colspan="3" class="empty">No invoice sent yet.</td></tr>'
    : rows.map((row) => `
    <tr data-account="${escapeHtml(row.accountId)}">
      <td>${escapeHtml(row.accountId)}</td>
      <td class="num">${escapeHtml(row.openInvoices)}</td>
      <td class="num owed">${escapeHtml(money(row.owed, row.currency))}</td>
    </tr>`).join('');
}

/** The day after the due date, 00:00 UTC: when a sent invoice that is still unpaid becomes overdue (Invoice.overdueAt). */
function overdueAt(dueDate) {
  const day = new Date(dueDate + 'T00:00:00Z');
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10) + ' 00:00 UTC';
}

/** Who made a history entry: its deadline when one fired it (the command id says so), else the user who sent it. */
function author(entry) {
  const deadline = /\/deadline\/([^/]+)\/\d+$/.exec(entry.commandId || '');
  const user = entry.user ? `<span class="muted">by</span> <span class="user">${escapeHtml(entry.user)}</span>` : '<span class="muted">no user</span>';
  if (!deadline) return user;
  const scheduledBy = entry.user ? ` <span class="muted">· scheduled by ${escapeHtml(entry.user)}</span>` : '';
  return `<span class="muted">by the deadline</span> <span class="deadline">${escapeHtml(deadline[1])}</span>${scheduledBy}`;
}

async function loadDetail(id) {
  const [invoiceResponse, historyResponse] = await Promise.all([
    fetch('/api/invoices/' + encodeURIComponent(id)), fetch('/api/invoices/' + encodeURIComponent(id) + '/events')]);
  if (invoiceResponse.status === 503 && state.selected === id) {
    // No instance answers for the invoice during a rebalance: ask again when the server says, while it is still the one shown.
    await sleep(1000 * Number(invoiceResponse.headers.get('Retry-After') || 1));
    if (state.selected === id) await loadDetail(id);
    return;
  }
  if (!invoiceResponse.ok) return;
  const invoice = await invoiceResponse.json();
  const history = historyResponse.ok ? await historyResponse.json() : [];
  state.invoice = invoice;
  const s = invoice.state;
  $('#placeholder').hidden = true;
  $('#create-form').hidden = true;
  $('#detail').hidden = false;
  $('#d-id').textContent = invoice.invoiceId;
  $('#d-customer').textContent = s.customer.name + ' · ' + s.customer.email;
  $('#d-status').textContent = s.status;
  $('#d-status').className = 'badge ' + s.status;
  $('#d-total').textContent = money(invoice.total, s.currency);
  $('#d-version').textContent = 'version ' + invoice.version;
  const waiting = s.status === 'SENT' ? ' · overdue from ' + overdueAt(s.dueDate) + ' unless paid'
    : s.status === 'OVERDUE' ? ' · overdue since ' + overdueAt(s.dueDate) : '';
  $('#d-dates').textContent = 'Issued ' + s.issueDate + ' · due ' + s.dueDate + waiting;
  const draft = s.status === 'DRAFT';
  $('#d-lines').innerHTML = s.lineItems.length === 0
    ? '<tr><td colspan="6" class="empty">No line items.</td></tr>'
    : s.lineItems.map((line) => `
      <tr>
        <td>${escapeHtml(line.description)}</td>
        <td class="num">${escapeHtml(line.quantity)}</td>
        <td class="num">${escapeHtml(money(line.unitPrice, ''))}</td>
        <td class="num">${escapeHtml(percent(line.taxRate))}</td>
        <td class="num">${escapeHtml(money(line.quantity * line.unitPrice * (1 + Number(line.taxRate)), ''))}</td>
        <td class="num">${draft ? `<button data-remove="${escapeHtml(line.lineItemId)}">Remove</button>` : ''}</td>
      </tr>`).join('');
  $('#line-form').hidden = !draft;
  $('#send').hidden = !draft;
  $('#pay-form').hidden = s.status !== 'SENT' && s.status !== 'OVERDUE';
  $('#pay-form').amount.value = Number(invoice.total).toFixed(2);
  $('#cancel-form').hidden = s.status === 'PAID' || s.status === 'CANCELLED';
  $('#d-history').innerHTML = history.map((entry) => `
    <li><strong>${escapeHtml(entry.type)}</strong> <span class="muted">v${escapeHtml(entry.version)} · ${escapeHtml(new Date(entry.timestamp).toLocaleString())}</span>
      <span class="muted">·</span> ${author(entry)}
      <code>${escapeHtml(JSON.stringify(entry.payload))}</code></li>`).join('');
}

async function command(name, payload) {
  const id = state.invoice.invoiceId;
  const response = await sendCommand(`/api/invoices/${encodeURIComponent(id)}/commands/${name}`,
    { 'If-Match': '"' + state.invoice.version + '"', ...userHeaders() }, payload || {}, (text) => showMessage('command', text, false));
  const result = await body(response);
  const verdict = describe(result, response.status);
  await loadDetail(id);
  showMessage('command', verdict.text, verdict.ok);
  return response.ok;
}

function select(id) {
  state.selected = id;
  showMessage('command', '');
  loadDetail(id);
  loadList();
}

function wire() {
  const actingAs = $('#acting-as');
  actingAs.value = localStorage.getItem(USER_KEY) || '';
  actingAs.addEventListener('input', () => localStorage.setItem(USER_KEY, actingAs.value.trim()));
  $('#filters').addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    document.querySelectorAll('#filters button').forEach((b) => b.classList.toggle('active', b === button));
    state.status = button.dataset.status;
    loadList();
  });
  $('#invoice-rows').addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-id]');
    if (row) select(row.dataset.id);
  });
  $('#due-yesterday').addEventListener('click', () => {
    // UTC dates, as the server reads them: due yesterday, so the invoice is overdue as soon as it is sent.
    const form = $('#create-form');
    const day = 86400000;
    form.issueDate.value = new Date(Date.now() - 30 * day).toISOString().slice(0, 10);
    form.dueDate.value = new Date(Date.now() - day).toISOString().slice(0, 10);
  });
  $('#new-invoice').addEventListener('click', () => {
    const today = new Date();
    const form = $('#create-form');
    form.issueDate.value = today.toISOString().slice(0, 10);
    form.dueDate.value = new Date(today.getTime() + 30 * 86400000).toISOString().slice(0, 10);
    $('#detail').hidden = true;
    $('#placeholder').hidden = true;
    form.hidden = false;
    showMessage('create', '');
  });
  $('#create-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    // The page names the invoice, so that sending the command again creates this one, not a second.
    const response = await sendCommand('/api/invoices', userHeaders(), {
      invoiceId: newId('INV'),
      customer: { name: form.name.value, email: form.email.value },
      issueDate: form.issueDate.value, dueDate: form.dueDate.value, currency: form.currency.value.toUpperCase(),
    }, (text) => showMessage('create', text, false));
    const result = await body(response);
    if (response.status === 201) {
      form.reset();
      select(result.aggregateId);
    } else {
      showMessage('create', describe(result, response.status).text, false);
    }
  });
  $('#line-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const ok = await command('add-line-item', { lineItem: {
      lineItemId: newId('li'),
      description: form.description.value, quantity: Number(form.quantity.value), unitPrice: form.unitPrice.value,
      taxRate: form.taxRate.value } });
    if (ok) form.reset();
  });
  $('#d-lines').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-remove]');
    if (button) command('remove-line-item', { lineItemId: button.dataset.remove });
  });
  $('#send').addEventListener('click', () => command('send'));
  $('#pay-form').addEventListener('submit', (event) => {
    event.preventDefault();
    command('pay', { amount: event.target.amount.value });
  });
  $('#cancel-form').addEventListener('submit', (event) => {
    event.preventDefault();
    command('cancel', { reason: event.target.reason.value });
  });
}

/** Green when a projection runs, amber while it catches up or retries (with its lag), red with the message when it stopped. */
function renderProjections(statuses) {
  $('#projections').innerHTML = statuses.map((p) => {
    const level = p.state === 'RUNNING' ? 'ok' : p.state === 'FAILED' || p.state === 'STOPPED' || p.state === 'SUPERSEDED' ? 'failed' : 'busy';
    const lag = p.lag >= 0 && level === 'busy' ? ` · lag ${p.lag}` : '';
    const error = level === 'failed' && p.error
      ? ` · ${p.error.message}${p.error.coordinates ? ' at ' + p.error.coordinates : ''}` : '';
    const generation = p.generation ? ` g${p.generation}` : '';
    const rebuild = p.rebuild ? ` · rebuilding g${p.rebuild.generation}${p.rebuild.lag >= 0 ? ', lag ' + p.rebuild.lag : ''}` : '';
    return `<span class="projection ${level}" data-name="${escapeHtml(p.name)}">${escapeHtml(p.name)}${escapeHtml(generation)}: `
      + `${escapeHtml(p.state.toLowerCase().replace('_', ' '))}${escapeHtml(lag)}${escapeHtml(rebuild)}${escapeHtml(error)}</span>`;
  }).join('');
}

let projectionsTimer = null;

async function loadProjections() {
  const response = await fetch('/api/projections');
  if (!response.ok) return;
  const statuses = await response.json();
  renderProjections(statuses);
  // Lag changes without an event: while a projection is busy, look again every few seconds.
  clearTimeout(projectionsTimer);
  if (statuses.some((p) => (p.state !== 'RUNNING' && p.state !== 'FAILED') || p.rebuild)) {
    projectionsTimer = setTimeout(loadProjections, 3000);
  }
}

/** The metric families the rates strip reads from /metrics (Prometheus' text format; names without their samples' suffixes). */
const METERS = ['eventfold_commands', 'eventfold_events', 'eventfold_commands_handling_seconds',
  'eventfold_gateway_commands_seconds', 'eventfold_gateway_pending', 'eventfold_projection_lag'];
const KINDS = ['accepted', 'rejected', 'conflict', 'failed'];
/** The counters' totals at the last look, and when: the rates are the differences. */
let previousRates = null;

/** Prometheus' text format, one sample a line (`eventfold_commands_total{kind="accepted",type="invoice"} 12.0`), as [{name, labels, value}]. */
function parseMetrics(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) continue; // a # HELP or # TYPE line
    const labels = {};
    for (const [, name, value] of (match[2] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[name] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The values of the samples of a name that carry the given labels. */
function values(samples, name, labels = {}) {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .map((s) => s.value);
}

const sum = (numbers) => numbers.reduce((total, n) => total + n, 0);
const milliseconds = (seconds) => (Math.max(0, ...seconds) * 1000).toFixed(1) + ' ms';

/** Commands by kind and events, per second since the last look and in total; p99 latencies, pending commands and lag as they are. */
function renderRates(samples, at) {
  const totals = { events: sum(values(samples, 'eventfold_events_total')) };
  KINDS.forEach((kind) => { totals[kind] = sum(values(samples, 'eventfold_commands_total', { kind })); });
  const seconds = previousRates ? (at - previousRates.at) / 1000 : 0;
  const counter = (key, label) => {
    const rate = seconds > 0 ? Math.max(0, totals[key] - previousRates.totals[key]) / seconds : 0;
    return `<span class="rate" data-meter="${key}">${label} <b>${rate.toFixed(1)}/s</b> · <span class="count">${totals[key]}</span></span>`;
  };
  const gauge = (key, label, value) => `<span class="rate" data-meter="${key}">${label} <b>${escapeHtml(value)}</b></span>`;
  $('#rates').innerHTML = '<span class="rates-title">This instance, per second · in total:</span>' + KINDS.map((kind) => counter(kind, kind)).join('')
    + counter('events', 'events')
    + gauge('handling', 'handling p99', milliseconds(values(samples, 'eventfold_commands_handling_seconds', { quantile: '0.99' })))
    + gauge('gateway', 'gateway p99', milliseconds(values(samples, 'eventfold_gateway_commands_seconds', { quantile: '0.99' })))
    + gauge('pending', 'pending', sum(values(samples, 'eventfold_gateway_pending')))
    // -1 while a projection does not know its lag yet: counted as none.
    + gauge('lag', 'projection lag', sum(values(samples, 'eventfold_projection_lag').map((lag) => Math.max(0, lag))));
  previousRates = { at, totals };
}

/** Every 2 s, this instance's meters from /metrics; a failed look (the service restarting) is skipped. */
async function loadRates() {
  const response = await fetch('/metrics?' + METERS.map((name) => 'name[]=' + name).join('&')).catch(() => null);
  if (response && response.ok) renderRates(parseMetrics(await response.text()), Date.now());
  setTimeout(loadRates, 2000);
}

function listen() {
  const events = new EventSource('/api/stream');
  events.onopen = () => {
    $('#live').classList.add('on');
    // Changes made while the stream was down were not heard: show the current list and invoice.
    loadList();
    loadAccounts();
    if (state.invoice) loadDetail(state.invoice.invoiceId);
  };
  events.onerror = () => $('#live').classList.remove('on');
  events.addEventListener('projection', () => loadProjections());
  events.addEventListener('history', (event) => {
    const change = JSON.parse(event.data);
    if (state.invoice && change.id === state.invoice.invoiceId) loadDetail(change.id);
  });
  events.addEventListener('account', () => loadAccounts());
  events.addEventListener('invoice', (event) => {
    const change = JSON.parse(event.data);
    loadList();
    // A change nobody on this page made shows too: a deadline that marked the invoice overdue, another tab's command.
    if (state.invoice && change.id === state.invoice.invoiceId && change.version > state.invoice.version) {
      loadDetail(change.id);
    }
  });
}

wire();
loadList();
loadAccounts();
loadProjections();
loadRates();
listen();
