-- Sharded usage counters, PostgreSQL (issue 15). Until V14 every growing or shrinking write UPDATEd the one
-- namespace_usage row of its namespace and the one extension_usage row of its extension and held both row locks
-- until its COMMIT (an fsync): all writes of one user, and of one extension, waited for each other's commit.
-- Now each namespace and each extension has up to SHARDS (16) rows, told apart by
--   shard  0 .. SHARDS-1; the figure of a namespace or extension is the SUM over its rows (a row alone may even
--          be negative: a shrink takes any row).
-- Existing rows become shard 0, so every figure stays as it was. SQLite gets the same shape (its V15) and only
-- ever writes shard 0 (one writer: nothing to spread).
--
-- The rule, in ext_storage_usage_ns / ext_storage_usage_ext (one per table; every writer of usage calls them:
-- ext_storage_put here, and the Java side's UsageRows for removes, batches, deletions and re-encryption):
-- * a change first locks ONE row: the lowest-numbered row no other transaction holds (FOR UPDATE SKIP LOCKED),
--   or, when all are held, waits for one. The namespace's or extension's first change creates all SHARDS rows.
-- * a shrink (delta <= 0) adds to that row, unchecked.
-- * a growth of at most FAST_MAX (64 KiB) bytes, FAST PATH, in a subtransaction: adds to the locked row, then
--   reads the SUM over the rows (its own change included, the others' committed ones). Every uncommitted growth
--   holds the lock of the row it changed, so at most SHARDS-1 other growths are in flight, each of at most
--   FAST_MAX bytes (a larger one holds all rows, see below): the write is accepted if
--   sum + (SHARDS-1) * FAST_MAX <= bound, since then the bound holds whichever of them commit.
--   Otherwise it raises EXTF0, which rolls the subtransaction back and RELEASES its row lock (a lock taken
--   after a savepoint is released when the savepoint is rolled back), and takes the slow path.
-- * SLOW PATH (a growth above FAST_MAX, or one the fast path could not decide): creates any missing row, locks
--   every row in ascending shard order (FOR UPDATE), so no other change is in flight, checks the exact
--   sum + delta <= bound (else EXTQ2 / EXTQ1 with the bytes it would reach, as before) and adds to shard 0.
-- So the bound is exact: never exceeded, and a write that fits is never refused (the fast path only ever hands
-- over to the exact check).
-- Deadlock freedom: the lock order stays entry row(s), namespace rows, extension rows. Within one table a fast
-- change holds one row and never waits for a second one of the same namespace or extension (its slow path
-- starts after the rollback released its row); the slow path takes the rows in ascending order; a batch of
-- namespaces takes them in the namespaces' order, then the extensions'. So no wait-for cycle exists.
-- Rows left at 0 may be deleted (BatchDelete drops them): a missing row changes no SUM, and both paths create
-- missing rows.
ALTER TABLE namespace_usage ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE namespace_usage DROP CONSTRAINT namespace_usage_pkey;
ALTER TABLE namespace_usage ADD PRIMARY KEY (extension_id, scope, owner_hash, shard);
ALTER TABLE extension_usage ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE extension_usage DROP CONSTRAINT extension_usage_pkey;
ALTER TABLE extension_usage ADD PRIMARY KEY (extension_id, shard);

-- The two constants of the rule; one place for both functions.
CREATE FUNCTION ext_storage_usage_shards() RETURNS SMALLINT LANGUAGE sql IMMUTABLE AS 'SELECT 16::SMALLINT';
CREATE FUNCTION ext_storage_usage_fast_max() RETURNS BIGINT LANGUAGE sql IMMUTABLE AS 'SELECT 65536::BIGINT';

-- Adds p_delta bytes and p_added entries to the namespace (p_ext, p_scope, p_owner_hash); a growth only within
-- p_owner_quota (else EXTQ2, the message the bytes it would reach). The rule: this file's header.
CREATE FUNCTION ext_storage_usage_ns(p_ext VARCHAR, p_scope VARCHAR, p_owner_hash CHAR(64), p_delta BIGINT,
                                     p_added BIGINT, p_owner_quota BIGINT)
    RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    n    CONSTANT SMALLINT := ext_storage_usage_shards();
    fast CONSTANT BIGINT := ext_storage_usage_fast_max();
    s    SMALLINT;
    used BIGINT;
BEGIN
    IF p_delta <= fast THEN
        BEGIN
            LOOP
                SELECT u.shard INTO s FROM namespace_usage u
                    WHERE u.extension_id = p_ext AND u.scope = p_scope AND u.owner_hash = p_owner_hash
                    ORDER BY u.shard LIMIT 1 FOR UPDATE SKIP LOCKED;
                EXIT WHEN FOUND;
                IF NOT EXISTS (SELECT 1 FROM namespace_usage u WHERE u.extension_id = p_ext AND u.scope = p_scope
                                 AND u.owner_hash = p_owner_hash) THEN
                    INSERT INTO namespace_usage (extension_id, scope, owner_hash, shard, used_bytes, entry_count)
                        SELECT p_ext, p_scope, p_owner_hash, g, 0, 0 FROM generate_series(0, n - 1) g
                        ON CONFLICT DO NOTHING;
                    CONTINUE;
                END IF;
                -- Every row is held by another writer: wait for one (spread by backend).
                SELECT u.shard INTO s FROM namespace_usage u
                    WHERE u.extension_id = p_ext AND u.scope = p_scope AND u.owner_hash = p_owner_hash
                      AND u.shard >= pg_backend_pid() % n
                    ORDER BY u.shard LIMIT 1 FOR UPDATE;
                EXIT WHEN FOUND;
                RAISE EXCEPTION USING ERRCODE = 'EXTF0';
            END LOOP;
            UPDATE namespace_usage SET used_bytes = used_bytes + p_delta, entry_count = entry_count + p_added
                WHERE extension_id = p_ext AND scope = p_scope AND owner_hash = p_owner_hash AND shard = s;
            IF p_delta > 0 THEN
                SELECT SUM(u.used_bytes) INTO used FROM namespace_usage u
                    WHERE u.extension_id = p_ext AND u.scope = p_scope AND u.owner_hash = p_owner_hash;
                IF used + (n - 1) * fast > p_owner_quota THEN
                    RAISE EXCEPTION USING ERRCODE = 'EXTF0';
                END IF;
            END IF;
            RETURN;
        EXCEPTION WHEN SQLSTATE 'EXTF0' THEN
            NULL; -- rolled back, its row released: the slow path decides
        END;
    END IF;
    INSERT INTO namespace_usage (extension_id, scope, owner_hash, shard, used_bytes, entry_count)
        SELECT p_ext, p_scope, p_owner_hash, g, 0, 0 FROM generate_series(0, n - 1) g
        ON CONFLICT DO NOTHING;
    PERFORM 1 FROM namespace_usage u
        WHERE u.extension_id = p_ext AND u.scope = p_scope AND u.owner_hash = p_owner_hash
        ORDER BY u.shard FOR UPDATE;
    SELECT SUM(u.used_bytes) INTO used FROM namespace_usage u
        WHERE u.extension_id = p_ext AND u.scope = p_scope AND u.owner_hash = p_owner_hash;
    IF p_delta > 0 AND used + p_delta > p_owner_quota THEN
        RAISE EXCEPTION USING ERRCODE = 'EXTQ2', MESSAGE = (used + p_delta)::TEXT;
    END IF;
    UPDATE namespace_usage SET used_bytes = used_bytes + p_delta, entry_count = entry_count + p_added
        WHERE extension_id = p_ext AND scope = p_scope AND owner_hash = p_owner_hash AND shard = 0;
END
$$;

-- As ext_storage_usage_ns for the extension p_ext and its quota p_quota (EXTQ1 when it refuses).
CREATE FUNCTION ext_storage_usage_ext(p_ext VARCHAR, p_delta BIGINT, p_quota BIGINT)
    RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    n    CONSTANT SMALLINT := ext_storage_usage_shards();
    fast CONSTANT BIGINT := ext_storage_usage_fast_max();
    s    SMALLINT;
    used BIGINT;
BEGIN
    IF p_delta <= fast THEN
        BEGIN
            LOOP
                SELECT u.shard INTO s FROM extension_usage u WHERE u.extension_id = p_ext
                    ORDER BY u.shard LIMIT 1 FOR UPDATE SKIP LOCKED;
                EXIT WHEN FOUND;
                IF NOT EXISTS (SELECT 1 FROM extension_usage u WHERE u.extension_id = p_ext) THEN
                    INSERT INTO extension_usage (extension_id, shard, used_bytes)
                        SELECT p_ext, g, 0 FROM generate_series(0, n - 1) g ON CONFLICT DO NOTHING;
                    CONTINUE;
                END IF;
                SELECT u.shard INTO s FROM extension_usage u
                    WHERE u.extension_id = p_ext AND u.shard >= pg_backend_pid() % n
                    ORDER BY u.shard LIMIT 1 FOR UPDATE;
                EXIT WHEN FOUND;
                RAISE EXCEPTION USING ERRCODE = 'EXTF0';
            END LOOP;
            UPDATE extension_usage SET used_bytes = used_bytes + p_delta WHERE extension_id = p_ext AND shard = s;
            IF p_delta > 0 THEN
                SELECT SUM(u.used_bytes) INTO used FROM extension_usage u WHERE u.extension_id = p_ext;
                IF used + (n - 1) * fast > p_quota THEN
                    RAISE EXCEPTION USING ERRCODE = 'EXTF0';
                END IF;
            END IF;
            RETURN;
        EXCEPTION WHEN SQLSTATE 'EXTF0' THEN
            NULL; -- rolled back, its row released: the slow path decides
        END;
    END IF;
    INSERT INTO extension_usage (extension_id, shard, used_bytes)
        SELECT p_ext, g, 0 FROM generate_series(0, n - 1) g ON CONFLICT DO NOTHING;
    PERFORM 1 FROM extension_usage u WHERE u.extension_id = p_ext ORDER BY u.shard FOR UPDATE;
    SELECT SUM(u.used_bytes) INTO used FROM extension_usage u WHERE u.extension_id = p_ext;
    IF p_delta > 0 AND used + p_delta > p_quota THEN
        RAISE EXCEPTION USING ERRCODE = 'EXTQ1', MESSAGE = (used + p_delta)::TEXT;
    END IF;
    UPDATE extension_usage SET used_bytes = used_bytes + p_delta WHERE extension_id = p_ext AND shard = 0;
END
$$;

-- ext_storage_put (V12, same signature and steps; the 13- and 10-argument wrappers of earlier releases keep
-- calling it) now adjusts the usage through the two functions above.
CREATE OR REPLACE FUNCTION ext_storage_put(p_ext VARCHAR, p_scope VARCHAR, p_owner TEXT, p_owner_hash CHAR(64),
                                p_key TEXT, p_json TEXT, p_size BIGINT, p_now BIGINT, p_quota BIGINT,
                                p_owner_quota BIGINT, p_version TEXT, p_mode TEXT, p_versions TEXT,
                                p_resource VARCHAR)
    RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT;
    prev  BIGINT;
    added BIGINT;
    cur   TEXT;
BEGIN
    IF p_mode = 'none' THEN
        INSERT INTO storage_entry (extension_id, scope, owner, owner_hash, resource, entry_key, value_json, size_bytes,
                                   prev_size, created_at, updated_at, change_seq, entry_version)
        VALUES (p_ext, p_scope, p_owner, p_owner_hash, p_resource, p_key, p_json, p_size, 0, p_now, p_now,
                nextval('storage_change_seq'), p_version)
        ON CONFLICT (extension_id, scope, owner_hash, resource, entry_key) DO UPDATE SET
            prev_size = storage_entry.size_bytes, value_json = excluded.value_json,
            size_bytes = excluded.size_bytes, updated_at = excluded.updated_at, change_seq = excluded.change_seq,
            entry_version = excluded.entry_version
        RETURNING size_bytes - prev_size, prev_size INTO delta, prev;
    ELSIF p_mode = 'absent' THEN
        INSERT INTO storage_entry (extension_id, scope, owner, owner_hash, resource, entry_key, value_json, size_bytes,
                                   prev_size, created_at, updated_at, change_seq, entry_version)
        VALUES (p_ext, p_scope, p_owner, p_owner_hash, p_resource, p_key, p_json, p_size, 0, p_now, p_now,
                nextval('storage_change_seq'), p_version)
        ON CONFLICT (extension_id, scope, owner_hash, resource, entry_key) DO NOTHING
        RETURNING size_bytes - prev_size, prev_size INTO delta, prev;
    ELSIF p_mode = 'present' OR p_mode = 'version' THEN
        -- SET expressions see the row being replaced, so prev_size takes its size (as the upsert's does).
        UPDATE storage_entry SET prev_size = size_bytes, value_json = p_json, size_bytes = p_size,
            updated_at = p_now, change_seq = nextval('storage_change_seq'), entry_version = p_version
        WHERE extension_id = p_ext AND scope = p_scope AND owner_hash = p_owner_hash AND resource = p_resource
          AND entry_key = p_key
          AND (p_mode = 'present' OR entry_version = ANY (string_to_array(p_versions, ' ')))
        RETURNING size_bytes - prev_size, prev_size INTO delta, prev;
    ELSE
        RAISE EXCEPTION 'Unknown precondition mode %', p_mode;
    END IF;
    IF delta IS NULL THEN
        SELECT e.entry_version INTO cur FROM storage_entry e
            WHERE e.extension_id = p_ext AND e.scope = p_scope AND e.owner_hash = p_owner_hash
              AND e.resource = p_resource AND e.entry_key = p_key;
        RAISE EXCEPTION USING ERRCODE = 'EXTP1', MESSAGE = COALESCE(cur, '');
    END IF;
    added := CASE WHEN prev = 0 THEN 1 ELSE 0 END;

    IF delta <> 0 THEN
        PERFORM ext_storage_usage_ns(p_ext, p_scope, p_owner_hash, delta, added, p_owner_quota);
        PERFORM ext_storage_usage_ext(p_ext, delta, p_quota);
    END IF;
    RETURN delta;
END
$$;
