// An example extension written in TypeScript, as an extension author would write it against
// @extension-storage/core: every tier, `.shared`, `list`, `get<T>`, `set` with interfaces, type aliases,
// arrays, tuples, nested and optional members, and error handling narrowed on `code`. Type-checked only.
import { getContext } from '@extension-storage/core';
import type {
  ExtensionContext,
  JsonValue,
  ListPage,
  StorageError,
  StorageErrorCode,
} from '@extension-storage/core';

interface Prefs {
  theme: string;
  fontSize: number;
  sidebar?: 'left' | 'right'; // optional: dropped when undefined, reads back absent
}

type Note = {
  id: string;
  title: string;
  tags: string[];
  pinned: boolean;
  parent: string | null;
  meta: { created: string; edits: number; authors: readonly { id: string; name: string }[] };
};

interface Progress {
  pct: number;
  stage: 'queued' | 'running' | 'done';
}

enum Layout {
  Grid = 'grid',
  List = 'list',
}

/** A class of plain data (no methods) is JSON-compatible too. */
class Cursor {
  constructor(
    readonly page: number,
    readonly pageSize: number,
  ) {}
}

const ctx: ExtensionContext = getContext();
const { local, session, ephemeral, persistent } = ctx.storage;

/** What a rejection holds: every storage promise rejects with a `StorageError`. */
function isStorageError(e: unknown): e is StorageError {
  return e instanceof Error && e.name === 'StorageError';
}

export async function savePrefs(prefs: Prefs): Promise<void> {
  await persistent.set('prefs', prefs);
  await persistent.set<Prefs>('prefs', { theme: 'dark', fontSize: 14 });
  const p = await persistent.get<Prefs>('prefs');
  const same: Prefs | null = p;
  if (same !== null) {
    const theme: string = same.theme;
    const side: 'left' | 'right' | undefined = same.sidebar;
    console.log(theme, side);
  }
}

export async function everyTier(note: Note, notes: Note[], progress: Progress): Promise<void> {
  // local / session, user and shared scope
  await local.set('sidebar_collapsed', true);
  const collapsed: boolean | null = await local.get<boolean>('sidebar_collapsed');
  await local.shared.set('device_id', 'abc-123');
  await local.set('layout', Layout.Grid);
  await local.set('recent', notes);
  await session.set('wizard_step', 3);
  await session.shared.set('draft', note);
  const step: number | null = await session.get<number>('wizard_step');
  await session.remove('wizard_step');
  await session.shared.remove('draft');

  // ephemeral: the TTL is required, user and shared scope
  await ephemeral.set('job_progress', { pct: 42 }, { ttl: 300 });
  await ephemeral.set<Progress>('job', progress, { ttl: 60 });
  await ephemeral.shared.set('lock', { owner: ctx.userId, until: Date.now() + 5000 }, { ttl: 5 });
  const job: Progress | null = await ephemeral.get<Progress>('job');
  const lock = await ephemeral.shared.get('lock'); // JsonValue | null by default
  await ephemeral.remove('job');

  // persistent: nested objects, arrays, tuples, readonly and `as const` values, plain-data classes
  await persistent.set('note:' + note.id, note);
  await persistent.shared.set('pinned', notes.filter((n) => n.pinned));
  await persistent.set('matrix', [
    [1, 2],
    [3, 4],
  ]);
  const pair: [string, number] = ['a', 1];
  await persistent.set('pair', pair);
  const frozen = { kind: 'frozen', list: [1, 2, 3] } as const;
  await persistent.set('frozen', frozen);
  await persistent.set('cursor', new Cursor(0, 10));
  await persistent.set('map', { a: 1, b: 2 } as Record<string, number>);
  await persistent.set('nothing', null);
  const anyJson: JsonValue = JSON.parse('{"x":[1,"y",null]}') as JsonValue;
  await persistent.set('json', anyJson);
  await persistent.set('parsed', JSON.parse('{}')); // `any` is not checked

  const page: ListPage<Note> = await persistent.list<Note>({ page: 0, pageSize: 10 });
  for (const { key, value } of page.result) {
    console.log(key, value.title, value.meta.authors.length);
  }
  const drafts: ListPage<Note> = await local.list<Note>({ prefix: 'draft:', page: 0, pageSize: 5 });
  console.log(drafts.count, (await ephemeral.shared.list({ prefix: 'job' })).result.length);
  await local.set('icon', new Uint8Array([0, 255]));
  await ephemeral.shared.set('blob', new ArrayBuffer(8), { ttl: 60 });
  await persistent.set('secret', { pin: '1234' }, { encrypt: true });
  const icon: Uint8Array | null = await local.get<Uint8Array>('icon');
  console.log(icon?.length);
  const all = await persistent.shared.list();
  const count: number = all.count;
  const firstValue: JsonValue | undefined = all.result[0]?.value;
  await persistent.shared.remove('pinned');

  console.log(collapsed, step, job, lock, count, firstValue, ctx.id, ctx.publisher, ctx.name);
}

/** Error handling: `code` narrows to the contract's codes; the details are typed. */
export async function saveWithRetry(note: Note): Promise<string> {
  try {
    await persistent.set('note:' + note.id, note);
    return 'saved';
  } catch (e) {
    if (!isStorageError(e)) throw e;
    const code: StorageErrorCode | (string & {}) = e.code;
    switch (e.code) {
      case 'RATE_LIMITED':
      case 'SERVER_BUSY': {
        const wait: number = e.retryAfter ?? 1;
        return `retry in ${wait} s`;
      }
      case 'VALUE_TOO_LARGE': {
        const limit: number | undefined = e.limit;
        const actual: number | undefined = e.actual;
        return `too large: ${actual} > ${limit}`;
      }
      case 'PRECONDITION_FAILED': {
        const current: string | null | undefined = e.version;
        return `changed meanwhile (now ${current})`;
      }
      case 'NOT_AUTHENTICATED':
        return 'sign in';
      case 'STORE_UNAVAILABLE':
        return e.status === 0 ? `offline: ${String(e.cause)}` : 'try later';
      default:
        return `${code}: ${e.message}`;
    }
  }
}
