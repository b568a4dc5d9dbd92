// Type declarations of @extension-storage/core (hand-written; TeaVM generates none). The build type-checks them
// with `tsc --strict` against an example extension in TypeScript (web/types-test), including the refused forms.
//
// Values: `set<T>(key, value)` takes any `T` that survives a JSON round trip unchanged, so interfaces, type
// aliases, classes of plain data, arrays, tuples, `readonly` and `as const` values are accepted as they are
// written, without an index signature. `JsonCompatible<T>` is the check; `get<T>` / `list<T>` name the type the
// caller expects back (an assertion, as with `JSON.parse`; the module does not check the shape on read).

/** Any JSON value: the default type of what `get` and `list` return. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The JSON scalars. */
export type JsonPrimitive = string | number | boolean | null;

/**
 * `T` with every part JSON cannot hold replaced by `never`; `set` takes `value: T & JsonCompatible<T>`, so a value
 * of such a type does not compile. Refused: `undefined`, functions (also methods, so class instances with methods
 * and `Date`, `Map`, `Set`: store `date.toISOString()`, arrays or objects instead), symbols (as values and as
 * keys), `bigint`, `unknown`, and `undefined` as an array element or in the type of a required member
 * (`{ a: string | undefined }`). Accepted: optional members (`{ a?: string }`): the module drops a member whose
 * value is `undefined`, as JSON does, and it reads back absent, which is what `?` says. `any` is not checked.
 * Not expressible in types, so refused only at run time (`INVALID_VALUE`): `NaN`, `Infinity`, cycles, nesting
 * deeper than 64 levels, lone UTF-16 surrogates.
 */
export type JsonCompatible<T> = 0 extends 1 & T
  ? unknown // any
  : unknown extends T
    ? never // unknown (or a union with it): could be anything
    : T extends JsonPrimitive | JsonValue[]
      ? T
      : T extends undefined | symbol | bigint | Function
        ? never
        : T extends { [key: string]: JsonValue }
          ? [Extract<keyof T, symbol>] extends [never]
            ? T // already JSON: ends the recursion of JsonValue itself
            : JsonCompatibleObject<T>
          : T extends object
            ? JsonCompatibleObject<T>
            : never;

/**
 * The `{key: value}` object of `setMany`: each member as `set` takes it, a JSON-compatible value or bytes
 * (`Uint8Array` / `ArrayBuffer`).
 */
export type BatchValues<R> = {
  [K in keyof R]: K extends symbol ? never : R[K] extends Uint8Array | ArrayBuffer ? R[K] : JsonCompatible<R[K]>;
};

/** The members of `T` (an object or array type) as in `JsonCompatible`; symbol keys are refused. */
export type JsonCompatibleObject<T> = { [K in keyof T]: K extends symbol ? never : JsonCompatible<T[K]> };

/**
 * The error codes of the contract (SPEC section 4), as `StorageError.code`; the HTTP status the server answers
 * with is noted. A JVM test of the module keeps this list equal to the contract codes of the Java `ErrorCode`.
 */
export type StorageErrorCode =
  | 'INVALID_KEY' // 400: empty, too long, control characters, `.` or `..`
  | 'INVALID_BODY' // 400: the request was refused as sent (also any other 4xx answer without a code)
  | 'INVALID_TTL' // 400: missing, not an integer, <= 0, above the maximum
  | 'INVALID_VALUE' // 400: not JSON, nested deeper than 64 levels, a lone UTF-16 surrogate
  | 'INVALID_QUERY' // 400: bad `page` / `pageSize`
  | 'VALUE_TOO_LARGE' // 400: above the per-value limit; `limit`, `actual`
  | 'PAGE_TOO_LARGE' // 400: a listing page above the listing limit; `limit`
  | 'NOT_AUTHENTICATED' // 401: no user, or no or invalid credentials
  | 'FORBIDDEN' // 403: not allowed (CSRF header, admin-only, a token bound to another extension)
  | 'EXTENSION_NOT_FOUND' // 404: publisher/name not installed
  | 'PRECONDITION_FAILED' // 412: a version condition does not hold; `version`: the current one or `null`
  | 'QUOTA_EXCEEDED' // 413 (and a full browser quota): the write would pass the storage quota
  | 'UNSUPPORTED_MEDIA_TYPE' // 415
  | 'RATE_LIMITED' // 429: too many requests; retry after `retryAfter` seconds
  | 'STORE_UNAVAILABLE' // 503 (and no answer, other 5xx): the backing store cannot be reached; retry later
  | 'SERVER_BUSY'; // 503: the server sheds load; retry after `retryAfter` seconds

/**
 * What every storage promise rejects with. A server outside the contract may send other codes, hence
 * `(string & {})`; the module itself never produces another code.
 */
export interface StorageError extends Error {
  name: 'StorageError';
  code: StorageErrorCode | (string & {});
  /**
   * The HTTP status of the server answer that caused the error; 0 when no answer came (network failure, or the
   * `headers` function threw). Absent for errors found in the browser (invalid arguments, Web Storage).
   */
  status?: number;
  /**
   * Seconds to wait before retrying (a non-negative integer), when the answer had a `Retry-After` header
   * (delta seconds, or an HTTP-date converted to seconds from now); absent otherwise. `RATE_LIMITED` and
   * `SERVER_BUSY` answers carry it. A cross-origin server must list `Retry-After` in
   * `Access-Control-Expose-Headers` for the browser to show it.
   */
  retryAfter?: number;
  /** The limit a limit error was about (`VALUE_TOO_LARGE`, `PAGE_TOO_LARGE`, `INVALID_TTL`...). */
  limit?: number;
  /** The size or number that passed `limit`. */
  actual?: number;
  /** `PRECONDITION_FAILED` from the server: the entry's current version, `null` when it does not exist. */
  version?: string | null;
  /** For status 0: what `fetch` or the `headers` function failed with. */
  cause?: unknown;
}

/** Thrown (synchronously) by the host-facing functions; not storage errors. */
export interface ModuleError extends Error {
  /** `NOT_BOUND`: getContext() before bindContext(); `INVALID_OPTIONS`: createExtensionContext() refused the options. */
  code: 'NOT_BOUND' | 'INVALID_OPTIONS';
}

/** What `getEntry` resolves to: the value and its version (SPEC section 8). */
export interface StorageEntry<T = JsonValue> {
  value: T;
  /**
   * Opaque; changes on every write of a server entry, and whenever the stored text of a `local`/`session` entry
   * changes (there: 16 hex digits of a 64-bit hash of the `JSON.stringify` text, the same in every tab).
   */
  version: string;
}

/**
 * A write condition: `ifVersion: '<version>'` only while the entry has that version, `ifVersion: null` only
 * while the key is absent; otherwise the promise rejects with `PRECONDITION_FAILED` and the current `version`
 * (`null`: absent), and nothing changes. Without `ifVersion` the write is unconditional.
 */
export interface Condition {
  ifVersion?: string | null;
}

/** `remove` condition: only while the entry has this version. */
export interface RemoveCondition {
  ifVersion?: string;
}

export interface UpdateOptions {
  /** Attempts after the first when another writer got in between (whole number 0-1000); default 10. */
  retries?: number;
}

/** What a change listener gets, for an entry it may read (its own user scope and the shared scope). */
export interface StorageChange<T = JsonValue> {
  reset?: undefined;
  tier: 'local' | 'session' | 'ephemeral' | 'persistent';
  scope: 'user' | 'shared';
  key: string;
  /** The new version; `null` when deleted. */
  version: string | null;
  /** The new value; absent when deleted, and for server values above 64 KiB (read it with `get`). */
  value?: T;
  deleted: boolean;
  /** The resource of a persistent entry of `persistent.forResource(type, uuid)`; absent for plain entries. */
  resource?: StorageResource;
}

/** A resource entries may belong to (SPEC section 10, Superset's `resource_type`/`resource_uuid`). */
export interface StorageResource {
  /** 1-64 of `a-z 0-9 _ -` */
  type: string;
  /** a UUID, lower-case */
  uuid: string;
}

/** Server tiers: events were missed (the stream could not resume); read again what you show. */
export interface StorageReset {
  reset: true;
}

export type StorageChangeEvent = StorageChange | StorageReset;

export type ChangeListener = (change: StorageChangeEvent) => void;

/** Calling it stops the listener; calling it again does nothing. */
export type Unsubscribe = () => void;

/**
 * What every area has beside `get`/`set`: versions (`getEntry`, `ifVersion`), `update` and `onChange`.
 * `SetOptions` / `UpdateExtra` are the tier's extra options (the TTL of `ephemeral`).
 */
interface VersionedArea<SetOptions> {
  /** The value and its version, or `null` for a missing key. */
  getEntry<T = JsonValue>(key: string): Promise<StorageEntry<T> | null>;
  /** Resolves also when nothing was stored under `key`; with `ifVersion`, only while the entry has it. */
  remove(key: string, options?: RemoveCondition): Promise<void>;
  /**
   * Reads the entry, computes `fn(oldValue)` (`null` when absent; may return a promise) and writes the result
   * only if the entry is still as read, else reads and computes again (up to `retries` times), so concurrent
   * updates lose nothing. `local`: serialized across tabs (Web Locks). Resolves to the value written; rejects
   * with what `fn` throws, or `PRECONDITION_FAILED` after the last retry.
   */
  update<T>(key: string, fn: (oldValue: T | null) => (T & JsonCompatible<T>) | Promise<T & JsonCompatible<T>>,
    options: SetOptions & UpdateOptions): Promise<T>;
  /**
   * Calls `listener` for each change of this tier and scope: `local` from this tab and other tabs, `session`
   * from this tab, server tiers from anywhere (one event stream per context, reconnecting with back-off).
   */
  onChange(listener: ChangeListener): Unsubscribe;
  /**
   * One page of this tier's and scope's entries whose keys start with `prefix` (taken literally: `*?[\\:%`
   * are plain characters). Order: `persistent` newest change first, `ephemeral` any, `local`/`session` by key
   * (UTF-16 code units, as `Array.prototype.sort`). Bad options reject with `INVALID_QUERY`.
   * `T`: the type of the values listed (not checked on read).
   */
  list<T = JsonValue>(options?: ListOptions): Promise<ListPage<T>>;
  /**
   * Batches (README "Batches"): up to 100 distinct keys in one call, one request on the server tiers.
   * `getMany` resolves to `{key: value | null}` as `chrome.storage.get([...])` does (`null` for a missing key;
   * the object's key order is JavaScript's: integer-like keys first). More than 100 keys or a key twice rejects
   * with `INVALID_BODY`, a bad key with `INVALID_KEY`.
   */
  getMany<T = JsonValue>(keys: readonly string[]): Promise<Record<string, T | null>>;
  /** Removes up to 100 distinct keys (absent ones are no error), in one request on the server tiers. */
  removeMany(keys: readonly string[]): Promise<void>;
}

/** One tier in one scope. Every method returns a promise; invalid arguments reject before any storage or network access. */
export interface StorageArea extends VersionedArea<{}> {
  /** The value, or `null` for a missing (or expired) key. `T`: the type stored under `key` (not checked on read). */
  get<T = JsonValue>(key: string): Promise<T | null>;
  /**
   * Stores bytes (SPEC section 10): read back as a `Uint8Array` (`get<Uint8Array>`), in `list` and change
   * events too; the value limit counts the bytes. Web Storage keeps `JSON.stringify('\uD800b64:' + base64)`.
   */
  set(key: string, value: Uint8Array | ArrayBuffer, options?: Condition): Promise<void>;
  /** Stores `value` as `JSON.stringify` text; `T` must be JSON-compatible (see `JsonCompatible`). */
  set<T>(key: string, value: T & JsonCompatible<T>, options?: Condition): Promise<void>;
  update<T>(key: string, fn: (oldValue: T | null) => (T & JsonCompatible<T>) | Promise<T & JsonCompatible<T>>,
    options?: UpdateOptions): Promise<T>;
  /**
   * Stores every member of `values` (up to 100; the values together at most the value limit), all or nothing:
   * `local`/`session` in one synchronous pass, undone when the browser's quota refuses a write
   * (`QUOTA_EXCEEDED`); `persistent` in one transaction. Resolves to `{key: version}`.
   */
  setMany<R extends object>(values: R & BatchValues<R>): Promise<Record<string, string>>;
}

/** A user-scope area; `shared` holds the entries every user of the extension shares. */
export interface ScopedArea<A> {
  readonly shared: A;
}

/** The options of an ephemeral `set`; required, for the TTL. */
export interface EphemeralSetOptions extends Condition {
  /** Whole seconds, 1 up to `limits.maxTtlSeconds` (7 days by default); required. */
  ttl: number;
}

export interface EphemeralArea extends VersionedArea<{ ttl: number }> {
  /** The value, or `null` for a missing or expired key. `T`: the type stored under `key` (not checked on read). */
  get<T = JsonValue>(key: string): Promise<T | null>;
  /** As `StorageArea.set`, for `options.ttl` seconds: without `{ ttl }` it does not compile. */
  set(key: string, value: Uint8Array | ArrayBuffer, options: EphemeralSetOptions): Promise<void>;
  set<T>(key: string, value: T & JsonCompatible<T>, options: EphemeralSetOptions): Promise<void>;
  /**
   * As `StorageArea.setMany`, every value for `options.ttl` seconds, in one request (on Redis one atomic script;
   * the in-process cache undoes a refused batch, a concurrent reader may see part of it).
   */
  setMany<R extends object>(values: R & BatchValues<R>, options: { ttl: number }): Promise<Record<string, string>>;
}

export interface ListOptions {
  /** Only keys starting with it; default `""` (all). Held to the key rule's characters and length. */
  prefix?: string;
  /** From 0; default 0. */
  page?: number;
  /** 0-100; default 10. */
  pageSize?: number;
}

export interface ListEntry<T = JsonValue> {
  key: string;
  value: T;
}

export interface ListPage<T = JsonValue> {
  /** The page, in the tier's order (see `list`). */
  result: ListEntry<T>[];
  /** All entries of this scope under the prefix, across pages. */
  count: number;
}

export interface PersistentSetOptions extends Condition {
  /**
   * Store the value encrypted at rest (AES-256-GCM with a key per user and extension). A server without a key
   * ring rejects with `INVALID_BODY`; the other tiers have no such option (`encrypt: true` is refused there).
   */
  encrypt?: boolean;
}

/** The persistent tier's area: `set` also takes `encrypt`, and `forResource` gives one resource's entries. */
export interface PersistentArea extends StorageArea {
  set(key: string, value: Uint8Array | ArrayBuffer, options?: PersistentSetOptions): Promise<void>;
  set<T>(key: string, value: T & JsonCompatible<T>, options?: PersistentSetOptions): Promise<void>;
  /** As `StorageArea.setMany` (one transaction, the quota checked for the batch as a whole), optionally encrypted. */
  setMany<R extends object>(values: R & BatchValues<R>, options?: { encrypt?: boolean }): Promise<Record<string, string>>;
  /**
   * The entries of one resource (such as one dashboard) in this scope: separate from the plain entries and from
   * other resources', whatever their keys; `shared` is the resource's shared entries. The plain area's `list`
   * and `onChange` see plain entries only, a resource's only its own. Throws `INVALID_QUERY` for a type other
   * than 1-64 of `a-z 0-9 _ -` or an id that is not a UUID (any letter case).
   */
  forResource(type: string, uuid: string): PersistentArea & ScopedArea<PersistentArea>;
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
  /**
   * How much this extension stores: the server's figures for the caller (GET .../storage/usage) plus the bytes
   * its `localStorage` / `sessionStorage` slots take. Rejects `NOT_AUTHENTICATED` without a user.
   */
  usage(): Promise<StorageUsage>;
  /** Every change of every tier and scope this context may read (see `StorageArea.onChange`). */
  onChange(listener: ChangeListener): Unsubscribe;
}

/** One server tier's usage (SPEC section 9), in bytes as the server's quotas count them. */
export interface ServerTierUsage {
  /** The whole extension, all users. */
  bytes: number;
  entries: number;
  quota: number;
  /** The caller's user scope. */
  userBytes: number;
  userEntries: number;
  userQuota: number;
  /** The shared scope. */
  sharedBytes: number;
  sharedEntries: number;
  sharedQuota: number;
}

/**
 * A browser tier's usage: 2 bytes per UTF-16 code unit of storage key plus stored text (as browsers count
 * their quota), of the signed-in user's slots and the shared ones of this extension.
 */
export interface BrowserTierUsage {
  bytes: number;
  userBytes: number;
  sharedBytes: number;
}

export interface StorageUsage {
  persistent: ServerTierUsage;
  ephemeral: ServerTierUsage;
  /** `null` when that storage cannot be used (e.g. blocked). */
  local: BrowserTierUsage | null;
  session: BrowserTierUsage | null;
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
   * An extension-bound token (`POST /api/v1/extensions/{publisher}/{name}/token`), sent as
   * `Authorization: Bearer` by the server tiers and the change stream. Without `getToken` it is never renewed.
   */
  token?: string | null;
  /**
   * Fetches a bound token: called before the first server request, again once 80% of the token's lifetime
   * (`expiresIn`, else the JWT's `exp`) has passed, and once after a `401`. Concurrent requests share one call.
   */
  getToken?: (() => TokenResult | Promise<TokenResult>) | null;
  /**
   * The server's limits, when it is configured above the contract's defaults (`EXT_STORAGE_MAX_TTL_SECONDS`,
   * `EXT_STORAGE_MAX_VALUE_BYTES`); arguments are checked against them before anything is sent. Each a positive
   * integer; absent: 604800 seconds and 1048576 bytes. `maxValueBytes` applies to `local` and `session` too.
   */
  limits?: ExtensionStorageLimits | null;
  /**
   * In a sandboxed extension's frame: the `MessagePort` the host transferred to it. Every call then goes over
   * it to the host's `serveBridge` (`@extension-storage/core/host`), which does the work for this extension only; the frame needs no
   * credentials (`apiBase`, `credentials`, `headers`, `token`, `getToken` are not used).
   */
  port?: MessagePort | null;
}

/** What `getToken` resolves to: the token route's answer, or the token alone. */
export type TokenResult = string | { token: string; expiresIn?: number };

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

/**
 * For hosts, at start-up: removes from `localStorage` and `sessionStorage` every key of this package's layout
 * under `keyPrefix` (default `ext-storage`) whose extension is not in `installedIds` (`publisher.name`); keys of
 * other prefixes and other apps stay. Returns how many keys it removed. @throws ModuleError `INVALID_OPTIONS`
 */
export function purgeUninstalled(installedIds: readonly string[], keyPrefix?: string): number;

/** The package version. */
export const version: string;
