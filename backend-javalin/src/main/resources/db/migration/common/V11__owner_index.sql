-- Data lifecycle (SPEC section 9): a user's export and erasure find the user's rows of every extension by
-- owner_hash, which the primary key (extension first) cannot answer. Every row already holds the user id's
-- storage form in owner (since V1), so rows of every earlier version are exported and erased alike; nothing to
-- backfill.
CREATE INDEX storage_entry_owner ON storage_entry (owner_hash, scope);
