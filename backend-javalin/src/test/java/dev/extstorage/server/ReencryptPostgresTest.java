package dev.extstorage.server;

import dev.extstorage.testing.PgDatabase;

/** {@link ReencryptContract} on PostgreSQL, a database of its own per test. */
class ReencryptPostgresTest extends ReencryptContract {
    private PgDatabase db;
    private PgDatabase older;

    @Override
    String newDatabase() throws Exception {
        db = PgDatabase.create("reencrypt");
        return db.url();
    }

    @Override
    String databaseAtV13() throws Exception {
        older = PgDatabase.create("reencrypt_v13");
        migrate(older.url(), "postgresql", "13");
        return older.url();
    }

    @Override
    void dropDatabase() throws Exception {
        if (db != null) {
            db.close();
        }
        if (older != null) {
            older.close();
        }
    }
}
