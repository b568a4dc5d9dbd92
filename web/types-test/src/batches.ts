// Batches (getMany / setMany / removeMany) on every tier, as an extension author writes them, and what the
// declarations refuse. Type-checked only.
import { getContext } from '@extension-storage/core';

const { local, session, ephemeral, persistent } = getContext().storage;

interface Prefs {
  theme: string;
  size?: number;
}

export async function batches(prefs: Prefs): Promise<void> {
  const values: Record<string, Prefs | null> = await persistent.getMany<Prefs>(['a', 'b']);
  const versions: Record<string, string> = await persistent.setMany({ a: prefs, b: { theme: 'dark' } },
    { encrypt: true });
  await ephemeral.setMany({ job: { pct: 42 } }, { ttl: 300 });
  await ephemeral.shared.removeMany(['job']);
  await local.setMany({ flag: true, bytes: new Uint8Array([1]), list: [1, 2] as const });
  await session.shared.removeMany(['flag']);
  const shared = await persistent.forResource('dashboard', '0b7e7e38-8d1c-4a45-9a5e-6f9b2b7c8d90').shared.getMany(['k']);
  console.log(values, versions, shared);
}

// @ts-expect-error ephemeral batches need a ttl
ephemeral.setMany({ job: 1 });
// @ts-expect-error keys are strings
persistent.getMany([1, 2]);
// @ts-expect-error a function is no value
local.setMany({ f: () => 1 });
// @ts-expect-error removeMany takes an array of keys
session.removeMany('a');
// @ts-expect-error local has no encryption
local.setMany({ a: 1 }, { encrypt: true });
