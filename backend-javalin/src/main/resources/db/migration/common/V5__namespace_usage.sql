-- Fair shares (SPEC section 11): besides the extension's total, each namespace, i.e. one user's user scope of
-- an extension or the extension's shared scope, has a bound of its own, so the writes need its usage. And an
-- entry now costs its key, its value and a fixed overhead, so entry counts are bounded too.
--
-- namespace_usage: one row per namespace that was ever written (rows stay at 0 when it is emptied).
--   extension_id, scope, owner_hash  the namespace, as in storage_entry (owner_hash of '' for shared)
--   used_bytes                       SUM(size_bytes) of the namespace's entries: what its bound counts
--   entry_count                      COUNT(*) of the namespace's entries: the listing's total, the usage
-- Both are kept exact by the writes, in the write's transaction (see SqlPersistentStore): the upsert of an
-- entry, then this row (bound check in the UPDATE's WHERE), then the extension's row of extension_usage.
-- Lock order everywhere: entry row, namespace_usage row, extension_usage row.
CREATE TABLE namespace_usage (
    extension_id VARCHAR(129) NOT NULL,
    scope        VARCHAR(6)   NOT NULL CHECK (scope IN ('user', 'shared')),
    owner_hash   CHAR(64)     NOT NULL,
    used_bytes   BIGINT       NOT NULL,
    entry_count  BIGINT       NOT NULL,
    PRIMARY KEY (extension_id, scope, owner_hash)
);

-- size_bytes becomes Limits.entryCost(key bytes, value bytes) = UTF-8 bytes of entry_key + value_json + 512
-- (Limits.ENTRY_OVERHEAD_BYTES when this migration was written; changing that constant needs a migration like
-- this one). Every row is thus at least 514 bytes, so a prev_size of 0 (V2) now also tells that the upsert
-- inserted the row rather than replaced it: that is how writes count entries.
UPDATE storage_entry SET size_bytes = size_bytes + 512;

INSERT INTO namespace_usage (extension_id, scope, owner_hash, used_bytes, entry_count)
SELECT extension_id, scope, owner_hash, SUM(size_bytes), COUNT(*)
FROM storage_entry
GROUP BY extension_id, scope, owner_hash;

-- The extension totals, recomputed from the rows with their new sizes (a row for every extension that holds
-- entries, should one be missing).
INSERT INTO extension_usage (extension_id, used_bytes, last_seq)
SELECT DISTINCT e.extension_id, 0, 0
FROM storage_entry e
WHERE NOT EXISTS (SELECT 1 FROM extension_usage u WHERE u.extension_id = e.extension_id);

UPDATE extension_usage SET used_bytes = COALESCE(
    (SELECT SUM(e.size_bytes) FROM storage_entry e WHERE e.extension_id = extension_usage.extension_id), 0);
