// Type declarations of @extension-storage/core (hand-written; TeaVM generates none).

/** Any JSON value: what the storage tiers accept and return. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The error codes of the contract (SPEC section 4), as `StorageError.code`. */
export type StorageErrorCode =
  | 'INVALID_KEY'
  | 'INVALID_BODY'
  | 'INVALID_TTL'
  | 'INVALID_VALUE'
  | 'INVALID_QUERY'
  | 'VALUE_TOO_LARGE'
  | 'NOT_AUTHENTICATED'
  | 'FORBIDDEN'
  | 'EXTENSION_NOT_FOUND'
  | 'QUOTA_EXCEEDED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'STORE_UNAVAILABLE';

/**
 * What every storage promise rejects with. `status` is the HTTP status of a server answer (0: the server could
 * not be reached); it is absent for errors found in the browser. `limit`/`actual` accompany limit errors.
 * A server outside the contract may send other codes, hence `(string & {})`.
 */
export interface StorageError extends Error {
  name: 'StorageError';
  code: StorageErrorCode | (string & {});
  status?: number;
  limit?: number;
  actual?: number;
  cause?: unknown;
}

/** Thrown (synchronously) by the host-facing functions; not storage errors. */
export interface ModuleError extends Error {
  /** `NOT_BOUND`: getContext() before bindContext(); `INVALID_OPTIONS`: createExtensionContext() refused the options. */
  code: 'NOT_BOUND' | 'INVALID_OPTIONS';
}

/** One tier in one scope. Every method returns a promise; invalid arguments reject before any storage or network access. */
export interface StorageArea {
  /** The value, or `null` for a missing (or expired) key. */
  get<T extends JsonValue = JsonValue>(key: string): Promise<T | null>;
  set(key: string, value: JsonValue): Promise<void>;
  /** Resolves also when nothing was stored under `key`. */
  remove(key: string): Promise<void>;
}

/** A user-scope area; `shared` holds the entries every user of the extension shares. */
export interface ScopedArea<A> {
  readonly shared: A;
}

export interface EphemeralArea {
  get<T extends JsonValue = JsonValue>(key: string): Promise<T | null>;
  /** `ttl`: whole seconds, 1 up to `limits.maxTtlSeconds` (7 days by default); required. */
  set(key: string, value: JsonValue, options: { ttl: number }): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface ListOptions {
  /** From 0; default 0. */
  page?: number;
  /** 0-100; default 10. */
  pageSize?: number;
}

export interface ListEntry<T extends JsonValue = JsonValue> {
  key: string;
  value: T;
}

export interface ListPage<T extends JsonValue = JsonValue> {
  /** Newest change first. */
  result: ListEntry<T>[];
  /** All entries of this scope, across pages. */
  count: number;
}

export interface PersistentArea extends StorageArea {
  list<T extends JsonValue = JsonValue>(options?: ListOptions): Promise<ListPage<T>>;
}

export interface ExtensionStorage {
  /** `localStorage`, kept across browser sessions. */
  readonly local: StorageArea & ScopedArea<StorageArea>;
  /** `sessionStorage`, gone when the tab closes. */
  readonly session: StorageArea & ScopedArea<StorageArea>;
  /** Server cache with a TTL per value. */
  readonly ephemeral: EphemeralArea & ScopedArea<EphemeralArea>;
  /** Server database; survives restarts. */
  readonly persistent: PersistentArea & ScopedArea<PersistentArea>;
}

export interface ExtensionContext {
  readonly publisher: string;
  readonly name: string;
  /** `publisher.name` */
  readonly id: string;
  /** The signed-in user's id, or `null`. */
  readonly userId: string | null;
  readonly storage: ExtensionStorage;
}

export type HeadersSource =
  | Record<string, string>
  | (() => Record<string, string> | Promise<Record<string, string>>);

export interface ExtensionContextOptions {
  /** 1-64 of `a-z 0-9 - _`, starting with a letter or digit. */
  publisher: string;
  name: string;
  /** The signed-in user; `null` or no `id`: user-scoped operations reject with `NOT_AUTHENTICATED`. A numeric id is used in decimal. */
  user?: { id: string | number | null } | null;
  /** Prefix of the REST API URLs, e.g. `https://api.example.com`; default `""` (same origin). */
  apiBase?: string;
  /** Prefix of browser storage keys, 1-64 characters without `:`; default `ext-storage` (Superset uses `superset-ext`). */
  keyPrefix?: string;
  /** `fetch` credentials mode; default `same-origin`. */
  credentials?: 'same-origin' | 'include' | 'omit';
  /** Extra request headers (a bearer token, `X-CSRF-Token`); a function is called for every request. */
  headers?: HeadersSource | null;
  /**
   * The server's limits, when it is configured above the contract's defaults (`EXT_STORAGE_MAX_TTL_SECONDS`,
   * `EXT_STORAGE_MAX_VALUE_BYTES`); arguments are checked against them before anything is sent. Each a positive
   * integer; absent: 604800 seconds and 1048576 bytes. `maxValueBytes` applies to `local` and `session` too.
   */
  limits?: ExtensionStorageLimits | null;
}

export interface ExtensionStorageLimits {
  /** Longest ephemeral TTL, in seconds; default 604800 (7 days). */
  maxTtlSeconds?: number;
  /** Largest value, in bytes of its UTF-8 JSON text; default 1048576 (1 MiB). Checked in every tier. */
  maxValueBytes?: number;
}

/** The context of the extension this module instance is bound to. @throws ModuleError `NOT_BOUND` */
export function getContext(): ExtensionContext;

/** For hosts: a context for one extension and user. @throws ModuleError `INVALID_OPTIONS` */
export function createExtensionContext(options: ExtensionContextOptions): ExtensionContext;

/**
 * For hosts: makes `getContext()` of this module instance return `context` (a context, or options to create
 * one). `null` unbinds. Returns the bound context.
 */
export function bindContext(context: ExtensionContext | ExtensionContextOptions): ExtensionContext;
export function bindContext(context: null): null;

/** The package version. */
export const version: string;
