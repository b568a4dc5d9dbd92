// Type declarations of @extension-storage/core/host: what only host pages call (a module of its own, so that the
// module every extension loads does not carry it).
import type { ExtensionContextOptions } from './index.js';

/** The host's options of one sandboxed extension's bridge: its context's, plus the sandbox page's reports. */
export interface BridgeOptions extends Omit<ExtensionContextOptions, 'port'> {
  /** `size` (the frame content's height in CSS pixels, 0-100000), `ready`, or `error` with a message. */
  onFrame?: ((event: 'size' | 'ready' | 'error', detail?: number | string) => void) | null;
}

/** A bridge the host serves; `close()` stops it (calls still under way are answered to no one). */
export interface BridgeHost {
  close(): void;
}

/** As the core module's (`@extension-storage/core`). */
export { purgeUninstalled } from './index.js';

/**
 * For hosts: serves one sandboxed extension's frame on `port` (the host's end of a `MessageChannel` whose other
 * end it transferred to the frame), with a context built from `options` for that extension only: calls are
 * checked (shape, method, tier, scope, sizes, at most 32 under way) and never reach another extension's data.
 * @throws ModuleError `INVALID_OPTIONS`
 */
export function serveBridge(port: MessagePort, options: BridgeOptions): BridgeHost;
