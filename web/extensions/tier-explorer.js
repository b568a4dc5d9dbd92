// The tier explorer both example extensions show under their own panel: the same key on every tier and
// scope, with Set/Get/Remove buttons. It is demo scaffolding (and what the end-to-end tests click); the two
// Panel.js files show the storage API as an extension would really use it.
import { getContext } from '@extension-storage/core';

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

export function element(tag, attributes = {}, ...children) {
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

function tierRow(tier, scope, greeting) {
  const key = element('input', { className: 'key', value: 'greeting', size: 12, title: 'key' });
  const value = element('input', { className: 'value', value: JSON.stringify(greeting), size: 20, title: 'value (JSON)' });
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

const STYLE = (cssClass) => `
  .${cssClass} table { border-collapse: collapse; }
  .${cssClass} th, .${cssClass} td { padding: 2px 6px; text-align: left; white-space: nowrap; }
  .${cssClass} input.ttl { width: 4.5em; }
  .${cssClass} output { font-family: monospace; }
  .${cssClass} output[data-state="error"] { color: #a4161a; }
`;

/**
 * The explorer table and its style, for an extension whose root element has class `cssClass`; `greeting` is the
 * value the inputs start with.
 */
export function tierExplorer(cssClass, greeting) {
  const head = element('tr', {}, ...['tier', 'scope', 'key', 'value', 'ttl', '', 'read'].map(
    (h) => element('th', { textContent: h })));
  const rows = TIERS.flatMap((tier) => SCOPES.map((scope) => tierRow(tier, scope, greeting)));
  return [
    element('style', { textContent: STYLE(cssClass) }),
    element('table', { className: 'tiers' }, element('thead', {}, head), element('tbody', {}, ...rows)),
  ];
}
