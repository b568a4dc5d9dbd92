// Globex To-do: an example extension. It imports the storage API by package name; the host provides the module
// (it is not bundled here) already bound to this extension and the signed-in user.
import { getContext } from '@extension-storage/core';

// --- the team's to-do list: one value in the shared scope of the persistent tier, seen by every user ---

async function loadTodos() {
  const ctx = getContext();
  return (await ctx.storage.persistent.shared.get('todos')) ?? [];
}

async function addTodo(title) {
  const ctx = getContext();
  const todos = (await ctx.storage.persistent.shared.get('todos')) ?? [];
  todos.push({ title, by: ctx.userId });
  await ctx.storage.persistent.shared.set('todos', todos);
  return todos;
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
  const value = element('input', { className: 'value', value: '"hello from Globex"', size: 20, title: 'value (JSON)' });
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
  .globex-todo table { border-collapse: collapse; }
  .globex-todo th, .globex-todo td { padding: 2px 6px; text-align: left; white-space: nowrap; }
  .globex-todo input.ttl { width: 4.5em; }
  .globex-todo output { font-family: monospace; }
  .globex-todo output[data-state="error"] { color: #a4161a; }
`;

/** Mounts the panel into `root` (the host's section for this extension). */
export function mount(root) {
  root.classList.add('globex-todo');
  root.append(element('style', { textContent: STYLE }));
  const list = element('ul', { className: 'todos' });
  const render = (todos) => list.replaceChildren(
    ...todos.map((t) => element('li', { textContent: `${t.title} (${t.by})` })));
  const title = element('input', { className: 'todo-title', placeholder: 'Something to do', size: 30 });
  const add = element('button', { type: 'button', className: 'add-todo', textContent: 'Add for everyone' });
  add.onclick = async () => {
    if (title.value.trim()) {
      render(await addTodo(title.value.trim()));
      title.value = '';
    }
  };
  loadTodos().then(render, (e) => { list.textContent = `error ${e.code}`; });

  const head = element('tr', {}, ...['tier', 'scope', 'key', 'value', 'ttl', '', 'read'].map(
    (h) => element('th', { textContent: h })));
  const rows = TIERS.flatMap((tier) => SCOPES.map((scope) => tierRow(tier, scope)));
  root.append(
    element('p', {}, title, ' ', add),
    list,
    element('table', { className: 'tiers' }, element('thead', {}, head), element('tbody', {}, ...rows)));
}
