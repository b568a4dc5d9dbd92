// The host-facing functions, as a TypeScript host page would call them. Type-checked only.
import { bindContext, createExtensionContext, version } from '@extension-storage/core';
import type { ExtensionContext, ExtensionContextOptions, ModuleError } from '@extension-storage/core';

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
