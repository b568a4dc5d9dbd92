// The host-facing functions, as a TypeScript host page would call them. Type-checked only.
import { bindContext, createExtensionContext, version } from '@extension-storage/core';
import type { ExtensionContext, ExtensionContextOptions, ModuleError, StorageUsage, TokenResult } from '@extension-storage/core';
import { purgeUninstalled, serveBridge } from '@extension-storage/core/host';
import type { BridgeHost } from '@extension-storage/core/host';

const options: ExtensionContextOptions = {
  publisher: 'acme',
  name: 'notes',
  user: { id: 42 },
  apiBase: '',
  keyPrefix: 'ext-storage',
  credentials: 'same-origin',
  headers: async () => ({ 'X-CSRF-Token': 'token' }),
  limits: { maxTtlSeconds: 2592000 },
};

// a host that hands the module an extension-bound token and lets it renew it
const fetchToken = async (): Promise<TokenResult> => {
  const r = await fetch('/api/v1/extensions/acme/notes/token', { method: 'POST' });
  return (await r.json()) as { token: string; expiresIn: number };
};
export const bound: ExtensionContextOptions[] = [
  { publisher: 'acme', name: 'notes', credentials: 'omit', getToken: fetchToken },
  { publisher: 'acme', name: 'notes', token: 'eyJ...', getToken: () => 'eyJ...' },
];

export function bind(): ExtensionContext | null {
  try {
    const ctx: ExtensionContext = createExtensionContext(options);
    const bound: ExtensionContext = bindContext(ctx);
    bindContext({ publisher: 'globex', name: 'todo', user: null });
    const unbound: null = bindContext(null);
    console.log(version.length, bound.userId, unbound);
    return bound;
  } catch (e) {
    const err = e as ModuleError;
    if (err.code === 'INVALID_OPTIONS' || err.code === 'NOT_BOUND') return null;
    throw e;
  }
}

export async function lifecycle(ctx: ExtensionContext): Promise<number> {
  const removed: number = purgeUninstalled(['acme.notes', 'globex.todo']) + purgeUninstalled([], 'superset-ext');
  const usage: StorageUsage = await ctx.storage.usage();
  const localBytes: number = usage.local?.userBytes ?? 0;
  // @ts-expect-error installed ids are strings
  purgeUninstalled([1]);
  // @ts-expect-error the browser tiers may be unavailable: null
  const sessionBytes: number = usage.session.bytes;
  return removed + localBytes + sessionBytes + usage.persistent.userQuota;
}

// a sandboxed extension: the host serves its bridge, the frame's module gets a context over the port
export function sandbox(): BridgeHost {
  const channel = new MessageChannel();
  const bridge: BridgeHost = serveBridge(channel.port1, {
    publisher: 'globex', name: 'todo', user: { id: 'alice' }, credentials: 'omit', getToken: fetchToken,
    onFrame: (event, detail) => console.log(event, detail),
  });
  const inFrame: ExtensionContext = createExtensionContext({ publisher: 'globex', name: 'todo', user: { id: 'alice' },
    port: channel.port2 });
  console.log(inFrame.id);
  // @ts-expect-error the host's options of a bridge take no port
  serveBridge(channel.port1, { publisher: 'globex', name: 'todo', port: channel.port2 });
  return bridge;
}
