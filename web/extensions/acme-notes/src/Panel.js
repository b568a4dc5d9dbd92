// Acme Notes: an example extension. It imports the storage API by package name; the host provides the module
// (it is not bundled here) already bound to this extension and the signed-in user.
import { getContext } from '@extension-storage/core';
import { element, tierExplorer } from '../../tier-explorer.js';

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

/** Mounts the panel into `root` (the host's section for this extension). */
export function mount(root) {
  root.classList.add('acme-notes');
  const text = element('textarea', { className: 'note', rows: 2, cols: 60, placeholder: 'A note, kept on the server' });
  const saved = element('span', { className: 'note-status' });
  const save = element('button', { type: 'button', className: 'save-note', textContent: 'Save note' });
  save.onclick = async () => {
    await saveNote(text.value);
    saved.textContent = 'saved';
  };
  loadNote().then((t) => { text.value = t; }, (e) => { saved.textContent = `error ${e.code}`; });

  root.append(
    element('p', {}, text, ' ', save, ' ', saved),
    ...tierExplorer('acme-notes', 'hello from Acme'));
}
