// Acme Notes: an example extension. It imports the storage API by package name; the host provides the module
// (it is not bundled here) already bound to this extension and the signed-in user.
import { getContext } from '@extension-storage/core';

// --- the note: one value in the persistent tier, kept on the server across devices and restarts ---

async function loadNote() {
  const ctx = getContext();
  const note = await ctx.storage.persistent.get('note');
  return note ? note.text : '';
}

async function saveNote(text) {
  const ctx = getContext();
  await ctx.storage.persistent.set('note', { text, savedAt: new Date().toISOString() });
}

// --- the tier explorer: the same key on every tier and scope ---

const TIERS = ['local', 'session', 'ephemeral', 'persistent'];
const SCOPES = ['user', 'shared'];

/** `storage.local`, `storage.local.shared`, ... Looked up on each use: getContext() is valid in any handler. */
function area(tier, scope) {
  const tierArea = getContext().storage[tier];
  return scope === 'shared' ? tierArea.shared : tierArea;
}

/** What the value field holds: JSON when it parses, else the text itself. */
function parseValue(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function element(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  Object.assign(el, attributes);
  el.append(...children);
  return el;
}

/** Runs `operation` and shows its outcome; `data-state` tells scripts (and tests) when it has finished. */
async function show(output, operation) {
  output.dataset.state = 'pending';
  output.textContent = '…';
  try {
    output.textContent = await operation();
    output.dataset.state = 'done';
  } catch (e) {
    output.textContent = `error ${e.code}: ${e.message}`;
    output.dataset.state = 'error';
  }
}

function tierRow(tier, scope) {
  const key = element('input', { className: 'key', value: 'greeting', size: 12, title: 'key' });
  const value = element('input', { className: 'value', value: '"hello from Acme"', size: 20, title: 'value (JSON)' });
  const ttl = element('input', { className: 'ttl', type: 'number', min: 1, value: 60, title: 'TTL in seconds' });
  const output = element('output', { className: 'result' });
  output.dataset.state = 'idle';

  const set = element('button', { type: 'button', className: 'set', textContent: 'Set' });
  const get = element('button', { type: 'button', className: 'get', textContent: 'Get' });
  const remove = element('button', { type: 'button', className: 'remove', textContent: 'Remove' });
  set.onclick = () => show(output, async () => {
    const options = tier === 'ephemeral' ? { ttl: Number(ttl.value) } : undefined;
    await area(tier, scope).set(key.value, parseValue(value.value), options);
    return 'stored';
  });
  get.onclick = () => show(output, async () => JSON.stringify(await area(tier, scope).get(key.value)));
  remove.onclick = () => show(output, async () => {
    await area(tier, scope).remove(key.value);
    return 'removed';
  });

  const row = element('tr', {},
    element('th', { textContent: tier }),
    element('td', { textContent: scope }),
    element('td', {}, key),
    element('td', {}, value),
    element('td', {}, tier === 'ephemeral' ? ttl : ''),
    element('td', { className: 'actions' }, set, get, remove),
    element('td', {}, output));
  row.dataset.tier = tier;
  row.dataset.scope = scope;
  return row;
}

const STYLE = `
  .acme-notes table { border-collapse: collapse; }
  .acme-notes th, .acme-notes td { padding: 2px 6px; text-align: left; white-space: nowrap; }
  .acme-notes input.ttl { width: 4.5em; }
  .acme-notes output { font-family: monospace; }
  .acme-notes output[data-state="error"] { color: #a4161a; }
`;

/** Mounts the panel into `root` (the host's section for this extension). */
export function mount(root) {
  root.classList.add('acme-notes');
  root.append(element('style', { textContent: STYLE }));
  const text = element('textarea', { className: 'note', rows: 2, cols: 60, placeholder: 'A note, kept on the server' });
  const saved = element('span', { className: 'note-status' });
  const save = element('button', { type: 'button', className: 'save-note', textContent: 'Save note' });
  save.onclick = async () => {
    await saveNote(text.value);
    saved.textContent = 'saved';
  };
  loadNote().then((t) => { text.value = t; }, (e) => { saved.textContent = `error ${e.code}`; });

  const head = element('tr', {}, ...['tier', 'scope', 'key', 'value', 'ttl', '', 'read'].map(
    (h) => element('th', { textContent: h })));
  const rows = TIERS.flatMap((tier) => SCOPES.map((scope) => tierRow(tier, scope)));
  root.append(
    element('p', {}, text, ' ', save, ' ', saved),
    element('table', { className: 'tiers' }, element('thead', {}, head), element('tbody', {}, ...rows)));
}
