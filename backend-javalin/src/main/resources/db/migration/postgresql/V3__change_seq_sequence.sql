-- PostgreSQL only. change_seq comes from this sequence instead of the per-extension counter row, so writers
-- of one extension no longer queue on one row. It starts above every change_seq handed out so far, so
-- "newest change first" stays exact across this migration. (SQLite has no sequences and needs none: its
-- writes are serialized, so the next change_seq is the namespace's MAX + 1, read through the listing index.)
CREATE SEQUENCE storage_change_seq;
SELECT setval('storage_change_seq', COALESCE((SELECT MAX(change_seq) FROM storage_entry), 0) + 1, false);
