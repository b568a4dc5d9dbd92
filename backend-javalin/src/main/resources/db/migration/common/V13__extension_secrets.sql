-- Server-only secrets (SPEC section 10): values an extension's server code keeps through the Java API
-- (SecretStorage), per extension (scope 'shared', owner '') and per user (scope 'user'), reachable through no
-- REST route and no browser call. A table of their own, so no listing, usage figure, export or change event of
-- storage_entry can ever see them; they count in no quota (only the extension's trusted server code writes them).
-- One schema for SQLite and PostgreSQL.
--   owner, owner_hash  as in storage_entry (Namespace.ownerStorageForm() and its SHA-256 hex)
--   secret_key         the key, by the storage key rule
--   key_id             the id of the key-ring key that sealed the value: what reencrypt looks for
--   sealed             the envelope of ValueCipher (v1.<key id>.<base64url>), sealed for the "secret" domain, so
--                      it does not open as a storage value, nor a storage value as a secret
--   secret_version     changes on every write (dev.extstorage.store.Versions)
--   updated_at         milliseconds since the epoch
CREATE TABLE extension_secret (
    extension_id   VARCHAR(129) NOT NULL,
    scope          VARCHAR(6)   NOT NULL CHECK (scope IN ('user', 'shared')),
    owner          TEXT         NOT NULL,
    owner_hash     CHAR(64)     NOT NULL,
    secret_key     TEXT         NOT NULL,
    key_id         VARCHAR(32)  NOT NULL,
    sealed         TEXT         NOT NULL,
    secret_version VARCHAR(64)  NOT NULL,
    updated_at     BIGINT       NOT NULL,
    PRIMARY KEY (extension_id, scope, owner_hash, secret_key)
);

-- A user's erasure finds the user's secrets of every extension by owner, as V11 does for entries.
CREATE INDEX extension_secret_owner ON extension_secret (owner_hash, scope);
-- One old key's secrets in primary-key order: the keyset pages of reencrypt.
CREATE INDEX extension_secret_key_id ON extension_secret (key_id, extension_id, scope, owner_hash, secret_key);
