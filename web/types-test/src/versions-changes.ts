// Versions, conditional writes, `update` and change listeners (SPEC section 8), as an extension author writes
// them. Type-checked only.
import { getContext } from '@extension-storage/core';
import type { StorageChangeEvent, StorageEntry, StorageError, Unsubscribe } from '@extension-storage/core';

interface Todo {
  title: string;
  done: boolean;
}

const ctx = getContext();
const { local, session, ephemeral, persistent } = ctx.storage;

export async function versions(todo: Todo): Promise<void> {
  const entry: StorageEntry<Todo> | null = await persistent.shared.getEntry<Todo>('todo:1');
  if (entry !== null) {
    const title: string = entry.value.title;
    const version: string = entry.version;
    await persistent.shared.set('todo:1', { ...todo, done: true }, { ifVersion: version });
    await persistent.shared.remove('todo:1', { ifVersion: version });
    console.log(title);
  }
  await persistent.shared.set('todo:2', todo, { ifVersion: null }); // only if absent
  await local.set('k', 1, { ifVersion: null });
  await session.shared.remove('k');
  await ephemeral.set('lock', { owner: ctx.userId }, { ttl: 30, ifVersion: null });
  try {
    await persistent.set('k', 2, { ifVersion: 'abc' });
  } catch (e) {
    const err = e as StorageError;
    if (err.code === 'PRECONDITION_FAILED') {
      const current: string | null | undefined = err.version;
      console.log(current);
    }
  }
}

export async function updates(): Promise<number> {
  const n: number = await local.update<number>('counter', (v) => (v ?? 0) + 1);
  const list: string[] = await persistent.shared.update<string[]>('list', (l) => [...(l ?? []), 'x'], { retries: 3 });
  const later: Todo = await session.update<Todo>('t', async (t) => ({ title: t?.title ?? 'new', done: false }));
  const job: number = await ephemeral.shared.update<number>('job', (v) => (v ?? 0) + 1, { ttl: 60, retries: 0 });
  console.log(list, later, job);
  return n;
}

export function listen(): Unsubscribe[] {
  const show = (c: StorageChangeEvent): void => {
    if (c.reset) {
      console.log('missed events: read again');
      return;
    }
    const where: string = c.tier + '/' + c.scope + ':' + c.key;
    const version: string | null = c.version;
    console.log(where, version, c.deleted ? 'deleted' : c.value);
  };
  return [ctx.storage.onChange(show), local.onChange(show), local.shared.onChange(show),
    persistent.shared.onChange((c) => console.log(c)), ephemeral.onChange(show)];
}
