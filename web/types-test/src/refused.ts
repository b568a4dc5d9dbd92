// What the declarations refuse at compile time. Each `@ts-expect-error` must meet an error: if the .d.ts
// accepted the line, tsc fails with "Unused '@ts-expect-error' directive". Type-checked only.
import { getContext } from '@extension-storage/core';

const { local, session, ephemeral, persistent } = getContext().storage;

interface WithMethod {
  name: string;
  greet(): string;
}

interface WithUndefined {
  name: string;
  nickname: string | undefined; // required, yet may be undefined: it would read back absent
}

type WithBigint = { id: bigint };
type WithSymbol = { tag: symbol };
const sym: unique symbol = Symbol('k');

export async function refused(
  withMethod: WithMethod,
  withUndefined: WithUndefined,
  maybe: string | undefined,
  holes: (number | undefined)[],
  unknownValue: unknown,
  withBigint: WithBigint,
  withSymbol: WithSymbol,
): Promise<void> {
  // functions
  // @ts-expect-error a function
  await persistent.set('f', () => 1);
  // @ts-expect-error a function as a member
  await persistent.set('f', { onClick: () => undefined });
  // @ts-expect-error a method
  await local.set('m', withMethod);
  // @ts-expect-error a class instance with methods (Date)
  await session.set('d', new Date());
  // @ts-expect-error a Map
  await persistent.shared.set('map', new Map<string, number>());

  // undefined
  // @ts-expect-error undefined
  await persistent.set('u', undefined);
  // @ts-expect-error possibly undefined
  await local.shared.set('u', maybe);
  // @ts-expect-error a required member typed `string | undefined`
  await persistent.set('u', withUndefined);
  // @ts-expect-error an undefined-typed member
  await session.shared.set('u', { a: 1, b: undefined });
  // @ts-expect-error undefined in an array
  await persistent.set('u', holes);
  // @ts-expect-error unknown could be anything
  await persistent.set('u', unknownValue);

  // symbols
  // @ts-expect-error a symbol
  await local.set('s', Symbol('x'));
  // @ts-expect-error a symbol as a member
  await persistent.set('s', withSymbol);
  // @ts-expect-error a symbol key
  await persistent.set('s', { [sym]: 1 });

  // bigint
  // @ts-expect-error a bigint
  await session.set('b', 10n);
  // @ts-expect-error a bigint as a member
  await persistent.set('b', withBigint);
  // @ts-expect-error a bigint nested in an array
  await ephemeral.set('b', { ids: [1n, 2n] }, { ttl: 60 });

  // ephemeral without a TTL, on both scopes
  // @ts-expect-error no options
  await ephemeral.set('job', { pct: 1 });
  // @ts-expect-error no options, shared scope
  await ephemeral.shared.set('job', { pct: 1 });
  // @ts-expect-error options without ttl
  await ephemeral.set('job', { pct: 1 }, {});
  // @ts-expect-error ttl not a number
  await ephemeral.shared.set('job', { pct: 1 }, { ttl: '60' });

  // keys are strings
  // @ts-expect-error a numeric key
  await persistent.set(1, 'x');
  // @ts-expect-error list options are numbers
  await persistent.list({ page: '0' });
  // @ts-expect-error encrypt is for the persistent tier only
  await local.set('k', 1, { encrypt: true });
  // @ts-expect-error encrypt is a boolean
  await persistent.set('k', 1, { encrypt: 'yes' });
  // @ts-expect-error a prefix is a string
  await local.list({ prefix: 1 });
}

export async function refusedVersions(): Promise<void> {
  // @ts-expect-error ifVersion is a string or null
  await persistent.set('k', 1, { ifVersion: 5 });
  // @ts-expect-error remove's ifVersion is a version, not null
  await persistent.remove('k', { ifVersion: null });
  // @ts-expect-error an ephemeral update needs the TTL
  await ephemeral.update<number>('n', (v) => (v ?? 0) + 1);
  // @ts-expect-error update's function must return the value's type
  await local.update<number>('n', (v) => String(v));
  // @ts-expect-error a listener is a function
  local.onChange('listener');
  // @ts-expect-error the change of a server entry has no `reset` member to be compared with false
  persistent.onChange((c) => c.reset === false);
  // @ts-expect-error retries is a number
  await session.update<number>('n', (v) => v ?? 0, { retries: '3' });
  // @ts-expect-error a version is read only through getEntry
  const v: string = (await local.get<number>('n'))!.version;
  console.log(v);
}

// a getToken must give a token string or {token, expiresIn}
export const badToken: import('@extension-storage/core').ExtensionContextOptions = {
  publisher: 'acme',
  name: 'notes',
  // @ts-expect-error a number is no token
  getToken: () => 42,
};
