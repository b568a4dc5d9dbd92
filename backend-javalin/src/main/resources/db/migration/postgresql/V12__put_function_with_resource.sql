-- Resource-scoped entries (SPEC section 10), PostgreSQL: as migration/sqlite/V12, in place. storage_entry gets
--   resource  ResourceRef.storageForm() ('type/uuid', the uuid lower-case), '' for plain entries
-- (every existing row is plain and keeps every column) and its primary key becomes (extension_id, scope,
-- owner_hash, resource, entry_key). A resource's entries count in their namespace's usage row (namespace_usage
-- is unchanged). The listing index gains the resource; a partial index finds one resource's rows across
-- extensions and scopes for its deletion.
--
-- ext_storage_put (V10) gets p_resource: the same steps, usage rows and lock order, the entry found by its
-- resource too. Its earlier signatures must go on working for server instances of the previous release during a
-- rolling upgrade, and their ON CONFLICT no longer names a unique index, so the 13-argument one becomes a
-- wrapper writing plain entries (p_resource ''); the 10-argument one (V10) already calls it.
ALTER TABLE storage_entry ADD COLUMN resource VARCHAR(101) NOT NULL DEFAULT '';
ALTER TABLE storage_entry DROP CONSTRAINT storage_entry_pkey;
ALTER TABLE storage_entry ADD PRIMARY KEY (extension_id, scope, owner_hash, resource, entry_key);
DROP INDEX storage_entry_listing;
CREATE INDEX storage_entry_listing ON storage_entry (extension_id, scope, owner_hash, resource, change_seq);
CREATE INDEX storage_entry_resource ON storage_entry (resource) WHERE resource <> '';

CREATE FUNCTION ext_storage_put(p_ext VARCHAR, p_scope VARCHAR, p_owner TEXT, p_owner_hash CHAR(64),
                                p_key TEXT, p_json TEXT, p_size BIGINT, p_now BIGINT, p_quota BIGINT,
                                p_owner_quota BIGINT, p_version TEXT, p_mode TEXT, p_versions TEXT,
                                p_resource VARCHAR)
    RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT;
    prev  BIGINT;
    added BIGINT;
    used  BIGINT;
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


CREATE OR REPLACE FUNCTION ext_storage_put(p_ext VARCHAR, p_scope VARCHAR, p_owner TEXT, p_owner_hash CHAR(64),
                                p_key TEXT, p_json TEXT, p_size BIGINT, p_now BIGINT, p_quota BIGINT,
                                p_owner_quota BIGINT, p_version TEXT, p_mode TEXT, p_versions TEXT)
    RETURNS BIGINT LANGUAGE sql AS $$
    SELECT ext_storage_put(p_ext, p_scope, p_owner, p_owner_hash, p_key, p_json, p_size, p_now, p_quota,
                           p_owner_quota, p_version, p_mode, p_versions, ''::VARCHAR)
$$;
