-- Encryption at rest (SPEC section 10): the id of the key-ring key that sealed an entry's value, as a column, so
-- reencrypt finds the rows of an old key by an index instead of reading every value. As migration/sqlite/V14:
-- computed by the database from the stored text ('"\ud800enc:v1.<key id>.<sealed>"'), NULL for plain values, so
-- ext_storage_put and the removes stay as they are. PostgreSQL has only STORED generated columns: adding it
-- rewrites storage_entry once (under an exclusive lock: plan the upgrade of a large table).
ALTER TABLE storage_entry ADD COLUMN key_id TEXT GENERATED ALWAYS AS (
    CASE WHEN substr(value_json, 1, 14) = '"\ud800enc:v1.'
         THEN split_part(substr(value_json, 15), '.', 1) END) STORED;

-- One old key's rows in primary-key order: the keyset pages of reencrypt.
CREATE INDEX storage_entry_key_id ON storage_entry (key_id, extension_id, scope, owner_hash, resource, entry_key)
    WHERE key_id IS NOT NULL;
