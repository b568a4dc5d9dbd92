package dev.extstorage.server;

import dev.extstorage.testing.PgDatabase;

/** {@link ReencryptContract} on PostgreSQL, a database of its own per test. */
class ReencryptPostgresTest extends ReencryptContract {
    private PgDatabase db;

    @Override
    String newDatabase() throws Exception {
        db = PgDatabase.create("reencrypt");
        return db.url();
    }

    @Override
    void dropDatabase() throws Exception {
        if (db != null) {
            db.close();
        }
    }
}
