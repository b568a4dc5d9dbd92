-- Shrinks without subtransactions, PostgreSQL (issue 15). In V15's usage functions every change, a shrink too,
-- ran in the fast path's subtransaction (a BEGIN ... EXCEPTION block), which a shrink never needs: it is never
-- refused, so it never hands over to the slow path. A bulk deletion (BatchDelete) shrinks each namespace of a
-- batch of up to 1,000 entries in one transaction, and each subtransaction that writes gets an id of its own;
-- past 64 of them the backend's cache of them overflows, and until that transaction ends every other session's
-- snapshot must look them up in pg_subtrans, which slows the whole database. An overwrite by a value no longer
-- than the old one (delta <= 0, most writes) is a shrink too and saves its two subtransactions.
-- The rule of V15's header is unchanged: a shrink locks one row (the lowest-numbered row no other transaction
-- holds, else it waits for one), creates the rows when there are none, and adds to it unchecked. V15's functions
-- keep their bodies under the names ..._growth, and the functions every writer calls (ext_storage_put and
-- UsageRows) hand each growth to them, so growths take V15's fast and slow paths exactly as before.

ALTER FUNCTION ext_storage_usage_ns(VARCHAR, VARCHAR, CHAR(64), BIGINT, BIGINT, BIGINT)
    RENAME TO ext_storage_usage_ns_growth;
ALTER FUNCTION ext_storage_usage_ext(VARCHAR, BIGINT, BIGINT) RENAME TO ext_storage_usage_ext_growth;

CREATE FUNCTION ext_storage_usage_ns(p_ext VARCHAR, p_scope VARCHAR, p_owner_hash CHAR(64), p_delta BIGINT,
                                     p_added BIGINT, p_owner_quota BIGINT)
    RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    n CONSTANT SMALLINT := ext_storage_usage_shards();
    s SMALLINT;
BEGIN
    IF p_delta <= 0 THEN
        -- A shrink: one row, any row, unchecked; never refused, so no subtransaction to hand over from.
        LOOP
            SELECT u.shard INTO s FROM namespace_usage u
                WHERE u.extension_id = p_ext AND u.scope = p_scope AND u.owner_hash = p_owner_hash
                ORDER BY u.shard LIMIT 1 FOR UPDATE SKIP LOCKED;
            EXIT WHEN FOUND;
            -- Every row is held by another writer: wait for one (spread by backend).
            SELECT u.shard INTO s FROM namespace_usage u
                WHERE u.extension_id = p_ext AND u.scope = p_scope AND u.owner_hash = p_owner_hash
                ORDER BY u.shard >= pg_backend_pid() % n DESC, u.shard LIMIT 1 FOR UPDATE;
            EXIT WHEN FOUND;
            -- No row (never written, or its rows dropped at 0 meanwhile): create them and try again.
            INSERT INTO namespace_usage (extension_id, scope, owner_hash, shard, used_bytes, entry_count)
                SELECT p_ext, p_scope, p_owner_hash, g, 0, 0 FROM generate_series(0, n - 1) g
                ON CONFLICT DO NOTHING;
        END LOOP;
        UPDATE namespace_usage SET used_bytes = used_bytes + p_delta, entry_count = entry_count + p_added
            WHERE extension_id = p_ext AND scope = p_scope AND owner_hash = p_owner_hash AND shard = s;
        RETURN;
    END IF;
    PERFORM ext_storage_usage_ns_growth(p_ext, p_scope, p_owner_hash, p_delta, p_added, p_owner_quota);
END
$$;

CREATE FUNCTION ext_storage_usage_ext(p_ext VARCHAR, p_delta BIGINT, p_quota BIGINT)
    RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    n CONSTANT SMALLINT := ext_storage_usage_shards();
    s SMALLINT;
BEGIN
    IF p_delta <= 0 THEN
        -- A shrink: one row, any row, unchecked; never refused, so no subtransaction to hand over from.
        LOOP
            SELECT u.shard INTO s FROM extension_usage u WHERE u.extension_id = p_ext
                ORDER BY u.shard LIMIT 1 FOR UPDATE SKIP LOCKED;
            EXIT WHEN FOUND;
            -- Every row is held by another writer: wait for one (spread by backend).
            SELECT u.shard INTO s FROM extension_usage u WHERE u.extension_id = p_ext
                ORDER BY u.shard >= pg_backend_pid() % n DESC, u.shard LIMIT 1 FOR UPDATE;
            EXIT WHEN FOUND;
            -- No row (never written, or its rows dropped at 0 meanwhile): create them and try again.
            INSERT INTO extension_usage (extension_id, shard, used_bytes)
                SELECT p_ext, g, 0 FROM generate_series(0, n - 1) g ON CONFLICT DO NOTHING;
        END LOOP;
        UPDATE extension_usage SET used_bytes = used_bytes + p_delta WHERE extension_id = p_ext AND shard = s;
        RETURN;
    END IF;
    PERFORM ext_storage_usage_ext_growth(p_ext, p_delta, p_quota);
END
$$;
