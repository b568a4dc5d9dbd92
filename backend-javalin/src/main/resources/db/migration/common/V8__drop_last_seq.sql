-- extension_usage.last_seq handed out change numbers in V1; since V2 nothing reads it (PostgreSQL takes change
-- numbers from a sequence, V3; SQLite from the namespace's highest one), and the writes no longer set it
-- (PostgreSQL: V7's ext_storage_put). SQLite supports DROP COLUMN since 3.35.
ALTER TABLE extension_usage DROP COLUMN last_seq;
