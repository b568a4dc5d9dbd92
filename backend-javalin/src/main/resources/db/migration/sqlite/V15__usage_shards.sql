-- Sharded usage counters (issue 15), SQLite: the shape PostgreSQL's V15 gives namespace_usage and
-- extension_usage, a column
--   shard  part of the primary key; a namespace's or extension's figure is the SUM over its rows
-- so every reader runs unchanged on both engines. SQLite has one writer at a time, so there is no lock to spread:
-- its writes keep using shard 0 only (UsageRows), and every existing row becomes shard 0, keeping its figures.
-- SQLite cannot change a primary key in place: each table is rebuilt and renamed.
CREATE TABLE namespace_usage_v15 (
    extension_id VARCHAR(129) NOT NULL,
    scope        VARCHAR(6)   NOT NULL CHECK (scope IN ('user', 'shared')),
    owner_hash   CHAR(64)     NOT NULL,
    used_bytes   BIGINT       NOT NULL,
    entry_count  BIGINT       NOT NULL,
    shard        SMALLINT     NOT NULL DEFAULT 0,
    PRIMARY KEY (extension_id, scope, owner_hash, shard)
);
INSERT INTO namespace_usage_v15 (extension_id, scope, owner_hash, used_bytes, entry_count, shard)
SELECT extension_id, scope, owner_hash, used_bytes, entry_count, 0 FROM namespace_usage;
DROP TABLE namespace_usage;
ALTER TABLE namespace_usage_v15 RENAME TO namespace_usage;

CREATE TABLE extension_usage_v15 (
    extension_id VARCHAR(129) NOT NULL,
    used_bytes   BIGINT       NOT NULL,
    shard        SMALLINT     NOT NULL DEFAULT 0,
    PRIMARY KEY (extension_id, shard)
);
INSERT INTO extension_usage_v15 (extension_id, used_bytes, shard)
SELECT extension_id, used_bytes, 0 FROM extension_usage;
DROP TABLE extension_usage;
ALTER TABLE extension_usage_v15 RENAME TO extension_usage;
