// Globex To-do: an example extension. It imports the storage API by package name; the host provides the module
// (it is not bundled here) already bound to this extension and the signed-in user.
import { getContext } from '@extension-storage/core';
import { element, tierExplorer } from '../../tier-explorer.js';

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

/** Mounts the panel into `root` (the host's section for this extension). */
export function mount(root) {
  root.classList.add('globex-todo');
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

  root.append(
    element('p', {}, title, ' ', add),
    list,
    ...tierExplorer('globex-todo', 'hello from Globex'));
}
