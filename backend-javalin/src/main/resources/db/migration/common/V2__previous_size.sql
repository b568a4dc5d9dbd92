-- Writes no longer lock extension_usage first (V1's scheme serialized every write of an extension, through
-- COMMIT). A write now upserts its entry first (which locks that one row, also a row being inserted) and
-- touches extension_usage last, and only when the entry's size changes, with the quota in the UPDATE's WHERE.
-- Lock order everywhere: entry row, then usage row.
--
-- prev_size holds size_bytes as it was before the row's last write. The upsert sets it from the row it
-- replaces (the locked, newest version) and returns size_bytes - prev_size: the exact size change of this
-- write, race-free in one statement. RETURNING can only see the new row (before PostgreSQL 18), hence the
-- column. extension_usage.last_seq is no longer used (see the engine-specific change_seq sources).
ALTER TABLE storage_entry ADD COLUMN prev_size BIGINT NOT NULL DEFAULT 0;
