-- Encryption at rest (SPEC section 10): the id of the key-ring key that sealed an entry's value, as a column, so
-- reencrypt finds the rows of an old key by an index instead of reading every value. The value's stored text
-- stays what it was (StoredValues.encrypted: '"\ud800enc:v1.<key id>.<sealed>"', the id between the third and
-- the fourth dot); the column is computed from it by the database, so every write path
-- (EntryWrites; ext_storage_put on PostgreSQL) keeps it right without knowing it. NULL for plain values.
-- SQLite can add only a VIRTUAL generated column (computed when read; nothing is rewritten); its index holds the
-- computed ids. PostgreSQL stores its own (migration/postgresql/V14).
ALTER TABLE storage_entry ADD COLUMN key_id TEXT GENERATED ALWAYS AS (
    CASE WHEN substr(value_json, 1, 14) = '"\ud800enc:v1.'
         THEN substr(value_json, 15, instr(substr(value_json, 15), '.') - 1) END) VIRTUAL;

-- One old key's rows in primary-key order: the keyset pages of reencrypt.
CREATE INDEX storage_entry_key_id ON storage_entry (key_id, extension_id, scope, owner_hash, resource, entry_key)
    WHERE key_id IS NOT NULL;
