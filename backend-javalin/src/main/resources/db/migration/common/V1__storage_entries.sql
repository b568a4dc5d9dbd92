-- One schema for SQLite and PostgreSQL: only types and syntax both accept.

-- One row per (extension, scope, owner, key). owner is Namespace.ownerStorageForm() ('' for shared);
-- the keys use owner_hash (SHA-256 hex of owner) so a user id of up to 1024 characters never makes an index
-- row too large. value_json is the JSON text exactly as written (text, not jsonb: jsonb would reorder object
-- members and drop duplicates). size_bytes = UTF-8 bytes of entry_key + value_json, what the quota counts.
-- change_seq comes from extension_usage.last_seq: strictly increasing per extension, so "newest change first"
-- is exact even within one millisecond. Times are milliseconds since the epoch.
CREATE TABLE storage_entry (
    extension_id VARCHAR(129) NOT NULL,
    scope        VARCHAR(6)   NOT NULL CHECK (scope IN ('user', 'shared')),
    owner        TEXT         NOT NULL,
    owner_hash   CHAR(64)     NOT NULL,
    entry_key    TEXT         NOT NULL,
    value_json   TEXT         NOT NULL,
    size_bytes   BIGINT       NOT NULL,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    change_seq   BIGINT       NOT NULL,
    PRIMARY KEY (extension_id, scope, owner_hash, entry_key)
);

CREATE INDEX storage_entry_listing ON storage_entry (extension_id, scope, owner_hash, change_seq);

-- Bytes each extension holds, and the last change_seq it handed out. Every write locks this row first (an
-- UPDATE of it), which serializes the writers of one extension, so the quota check cannot race and locks are
-- always taken in the same order (usage row, then entry row).
CREATE TABLE extension_usage (
    extension_id VARCHAR(129) NOT NULL PRIMARY KEY,
    used_bytes   BIGINT       NOT NULL,
    last_seq     BIGINT       NOT NULL
);
