-- Versions (SPEC section 8): every entry has one, an opaque string that changes on every write. Writes set it
-- to a random 64-bit number in 16 hex digits drawn by the server (dev.extstorage.store.Versions), and check a
-- write's precondition against it in the write's transaction (SQLite: EntryWrites; PostgreSQL:
-- ext_storage_put, V10). It costs no bytes of the quota: size_bytes is unchanged.
--
-- Rows written before this migration get 'm' and their change number: unique per key (a row exists once), and
-- never of the form writes use (they start with a letter past 'f'), so no later write repeats it (no ABA).
-- The default only serves this ALTER (SQLite needs one for NOT NULL); every write sets the column.
ALTER TABLE storage_entry ADD COLUMN entry_version VARCHAR(64) NOT NULL DEFAULT '';
UPDATE storage_entry SET entry_version = 'm' || CAST(change_seq AS VARCHAR(20));
