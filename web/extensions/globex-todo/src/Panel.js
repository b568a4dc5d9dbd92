// Globex To-do: an example extension. It imports the storage API by package name; the host provides the module
// (it is not bundled here) already bound to this extension and the signed-in user.
import { getContext } from '@extension-storage/core';
import { element, tierExplorer } from '../../tier-explorer.js';

// --- the team's to-do list, in the shared scope of the persistent tier, seen by every user ---
// One entry per item (`todo:<time>-<random>`), so two users adding at once never overwrite each other (no
// read-modify-write of one list), and live: onChange tells every open page of each new item.

const PREFIX = 'todo:';

/** Every item, a page of the listing at a time: Map key -> {title, by, at}. */
async function loadTodos() {
  const shared = getContext().storage.persistent.shared;
  const todos = new Map();
  for (let page = 0; ; page++) {
    const { result, count } = await shared.list({ page, pageSize: 100 });
    for (const { key, value } of result) {
      if (key.startsWith(PREFIX)) todos.set(key, value);
    }
    if (result.length === 0 || (page + 1) * 100 >= count) return todos;
  }
}

async function addTodo(title) {
  const ctx = getContext();
  const key = `${PREFIX}${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  // ifVersion null: only if absent, so an (unlikely) equal key cannot replace another user's item
  await ctx.storage.persistent.shared.set(key, { title, by: ctx.userId, at: Date.now() }, { ifVersion: null });
  return key;
}

/** Mounts the panel into `root` (the host's section for this extension). */
export function mount(root) {
  root.classList.add('globex-todo');
  const list = element('ul', { className: 'todos' });
  let todos = new Map();
  const render = () => list.replaceChildren(...[...todos.values()]
    .sort((a, b) => a.at - b.at)
    .map((t) => element('li', { textContent: `${t.title} (${t.by})` })));
  const reload = () => loadTodos().then((t) => { todos = t; render(); },
    (e) => { list.textContent = `error ${e.code}`; });

  // changes by anyone, this page included: apply them as they come; missed events or a value too large to be
  // carried in the event: read the list again
  getContext().storage.persistent.shared.onChange((change) => {
    if (change.reset || (!change.deleted && change.value === undefined)) {
      reload();
    } else if (change.key.startsWith(PREFIX)) {
      if (change.deleted) todos.delete(change.key); else todos.set(change.key, change.value);
      render();
    }
  });

  const title = element('input', { className: 'todo-title', placeholder: 'Something to do', size: 30 });
  const add = element('button', { type: 'button', className: 'add-todo', textContent: 'Add for everyone' });
  add.onclick = async () => {
    const text = title.value.trim();
    if (text) {
      title.value = '';
      const key = await addTodo(text);
      // shown at once, without waiting for the event (which then changes nothing)
      todos.set(key, { title: text, by: getContext().userId, at: Date.now() });
      render();
    }
  };
  reload();

  root.append(
    element('p', {}, title, ' ', add),
    list,
    ...tierExplorer('globex-todo', 'hello from Globex'));
}
