-- PostgreSQL only: a write as one server-side call, so it costs one round trip (run in autocommit, the call is
-- its own transaction) and the usage row, when the size changes, is locked only from its UPDATE to the commit
-- right after it, never across a network round trip. The same steps as SqlPersistentStore runs on SQLite:
-- upsert the entry (locks its row; prev_size gives the exact size change, see V2), then adjust the usage row,
-- the quota check in the UPDATE's WHERE. Lock order: entry row, then usage row.
-- A growing write that would pass the quota raises SQLSTATE EXTQ1 with the bytes the extension would hold
-- as its message; the call's transaction is then rolled back, entry included.
CREATE FUNCTION ext_storage_put(p_ext VARCHAR, p_scope VARCHAR, p_owner TEXT, p_owner_hash CHAR(64),
                                p_key TEXT, p_json TEXT, p_size BIGINT, p_now BIGINT, p_quota BIGINT)
    RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT;
    used  BIGINT;
BEGIN
    INSERT INTO storage_entry (extension_id, scope, owner, owner_hash, entry_key, value_json, size_bytes,
                               prev_size, created_at, updated_at, change_seq)
    VALUES (p_ext, p_scope, p_owner, p_owner_hash, p_key, p_json, p_size, 0, p_now, p_now,
            nextval('storage_change_seq'))
    ON CONFLICT (extension_id, scope, owner_hash, entry_key) DO UPDATE SET
        prev_size = storage_entry.size_bytes, value_json = excluded.value_json,
        size_bytes = excluded.size_bytes, updated_at = excluded.updated_at, change_seq = excluded.change_seq
    RETURNING size_bytes - prev_size INTO delta;
    IF delta < 0 THEN
        UPDATE extension_usage SET used_bytes = used_bytes + delta WHERE extension_id = p_ext;
    ELSIF delta > 0 THEN
        UPDATE extension_usage SET used_bytes = used_bytes + delta
            WHERE extension_id = p_ext AND used_bytes + delta <= p_quota;
        IF NOT FOUND THEN
            -- The extension's first write creates its usage row; otherwise the quota refused the write.
            INSERT INTO extension_usage (extension_id, used_bytes, last_seq) VALUES (p_ext, 0, 0)
                ON CONFLICT (extension_id) DO NOTHING;
            UPDATE extension_usage SET used_bytes = used_bytes + delta
                WHERE extension_id = p_ext AND used_bytes + delta <= p_quota;
            IF NOT FOUND THEN
                SELECT u.used_bytes INTO used FROM extension_usage u WHERE u.extension_id = p_ext;
                RAISE EXCEPTION USING ERRCODE = 'EXTQ1', MESSAGE = (COALESCE(used, 0) + delta)::TEXT;
            END IF;
        END IF;
    END IF;
    RETURN delta;
END
$$;
