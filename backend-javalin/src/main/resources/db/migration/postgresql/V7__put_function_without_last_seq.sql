-- PostgreSQL only: ext_storage_put (V6) without extension_usage.last_seq, unused since V2 and dropped by V8
-- (common). Same signature and steps as V6; only the insert of an extension's first usage row no longer names
-- the column. Until V8 drops it the column defaults to 0, so writes between the two migrations still succeed.
-- (Running server instances call the function by name, so they take this version at once; their Java code
-- never inserts into extension_usage on PostgreSQL.)
ALTER TABLE extension_usage ALTER COLUMN last_seq SET DEFAULT 0;

CREATE OR REPLACE FUNCTION ext_storage_put(p_ext VARCHAR, p_scope VARCHAR, p_owner TEXT, p_owner_hash CHAR(64),
                                p_key TEXT, p_json TEXT, p_size BIGINT, p_now BIGINT, p_quota BIGINT,
                                p_owner_quota BIGINT)
    RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT;
    prev  BIGINT;
    added BIGINT;
    used  BIGINT;
BEGIN
    INSERT INTO storage_entry (extension_id, scope, owner, owner_hash, entry_key, value_json, size_bytes,
                               prev_size, created_at, updated_at, change_seq)
    VALUES (p_ext, p_scope, p_owner, p_owner_hash, p_key, p_json, p_size, 0, p_now, p_now,
            nextval('storage_change_seq'))
    ON CONFLICT (extension_id, scope, owner_hash, entry_key) DO UPDATE SET
        prev_size = storage_entry.size_bytes, value_json = excluded.value_json,
        size_bytes = excluded.size_bytes, updated_at = excluded.updated_at, change_seq = excluded.change_seq
    RETURNING size_bytes - prev_size, prev_size INTO delta, prev;
    added := CASE WHEN prev = 0 THEN 1 ELSE 0 END;

    IF delta < 0 THEN
        UPDATE namespace_usage SET used_bytes = used_bytes + delta
            WHERE extension_id = p_ext AND scope = p_scope AND owner_hash = p_owner_hash;
        UPDATE extension_usage SET used_bytes = used_bytes + delta WHERE extension_id = p_ext;
    ELSIF delta > 0 THEN
        UPDATE namespace_usage SET used_bytes = used_bytes + delta, entry_count = entry_count + added
            WHERE extension_id = p_ext AND scope = p_scope AND owner_hash = p_owner_hash
              AND used_bytes + delta <= p_owner_quota;
        IF NOT FOUND THEN
            -- The namespace's first write creates its usage row; otherwise its bound refused the write.
            INSERT INTO namespace_usage (extension_id, scope, owner_hash, used_bytes, entry_count)
                VALUES (p_ext, p_scope, p_owner_hash, 0, 0)
                ON CONFLICT (extension_id, scope, owner_hash) DO NOTHING;
            UPDATE namespace_usage SET used_bytes = used_bytes + delta, entry_count = entry_count + added
                WHERE extension_id = p_ext AND scope = p_scope AND owner_hash = p_owner_hash
                  AND used_bytes + delta <= p_owner_quota;
            IF NOT FOUND THEN
                SELECT n.used_bytes INTO used FROM namespace_usage n
                    WHERE n.extension_id = p_ext AND n.scope = p_scope AND n.owner_hash = p_owner_hash;
                RAISE EXCEPTION USING ERRCODE = 'EXTQ2', MESSAGE = (COALESCE(used, 0) + delta)::TEXT;
            END IF;
        END IF;

        UPDATE extension_usage SET used_bytes = used_bytes + delta
            WHERE extension_id = p_ext AND used_bytes + delta <= p_quota;
        IF NOT FOUND THEN
            -- The extension's first write creates its usage row; otherwise its quota refused the write.
            INSERT INTO extension_usage (extension_id, used_bytes) VALUES (p_ext, 0)
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
