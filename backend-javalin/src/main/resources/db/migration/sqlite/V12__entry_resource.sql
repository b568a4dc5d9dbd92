-- Resource-scoped entries (SPEC section 10): an entry may belong to one resource of its namespace, and the same
-- key then names separate entries for the plain namespace and for each resource. storage_entry gets a column
--   resource  ResourceRef.storageForm() ('type/uuid', the uuid lower-case, at most 101 characters), '' for plain
-- and the key of a row becomes (extension_id, scope, owner_hash, resource, entry_key). Every existing row is a
-- plain entry: it keeps every column and gets ''. A resource's entries count in their namespace's usage row
-- (namespace_usage is unchanged), so the bounds hold for plain and resource entries together.
--
-- SQLite cannot change a primary key in place: the table is rebuilt (one transaction with the copy) and its
-- indexes made again. The listing index gains the resource, so each listing (plain, or one resource's) and the
-- change number of a write (per namespace and resource) are one index range. The partial index finds one
-- resource's rows across extensions and scopes for its deletion (DELETE .../admin/resources/...).
-- PostgreSQL does the same in place (migration/postgresql/V12).
CREATE TABLE storage_entry_v12 (
    extension_id  VARCHAR(129) NOT NULL,
    scope         VARCHAR(6)   NOT NULL CHECK (scope IN ('user', 'shared')),
    owner         TEXT         NOT NULL,
    owner_hash    CHAR(64)     NOT NULL,
    resource      VARCHAR(101) NOT NULL DEFAULT '',
    entry_key     TEXT         NOT NULL,
    value_json    TEXT         NOT NULL,
    size_bytes    BIGINT       NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    change_seq    BIGINT       NOT NULL,
    prev_size     BIGINT       NOT NULL DEFAULT 0,
    entry_version VARCHAR(64)  NOT NULL DEFAULT '',
    PRIMARY KEY (extension_id, scope, owner_hash, resource, entry_key)
);

INSERT INTO storage_entry_v12 (extension_id, scope, owner, owner_hash, resource, entry_key, value_json, size_bytes,
                               created_at, updated_at, change_seq, prev_size, entry_version)
SELECT extension_id, scope, owner, owner_hash, '', entry_key, value_json, size_bytes, created_at, updated_at,
       change_seq, prev_size, entry_version
FROM storage_entry;

DROP TABLE storage_entry;
ALTER TABLE storage_entry_v12 RENAME TO storage_entry;

CREATE INDEX storage_entry_listing ON storage_entry (extension_id, scope, owner_hash, resource, change_seq);
CREATE INDEX storage_entry_owner ON storage_entry (owner_hash, scope);
CREATE INDEX storage_entry_resource ON storage_entry (resource) WHERE resource <> '';
