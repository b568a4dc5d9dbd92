package dev.extstorage.store.sql;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The schema of a {@link SqlPersistentStore}, created or migrated by Flyway from the engine's locations
 * ({@link SqlitePersistentStore#MIGRATIONS}, {@link PostgresPersistentStore#MIGRATIONS}). A PostgreSQL database that cannot be reached when the store
 * opens is migrated on a later call instead of failing start-up.
 */
final class SqlSchema {
    // Logs under the store's name, as before this class was split out of it, so log configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(SqlPersistentStore.class);

    /** How long a call waits for another thread's migration attempt before it fails with STORE_UNAVAILABLE. */
    private static final long MIGRATION_WAIT_MS = 2000;

    private final String engine;
    private final DataSource migrationSource;
    private final String[] locations;
    private final ReentrantLock migrationLock = new ReentrantLock();
    private volatile boolean migrated;

    /** @param locations the Flyway locations of the engine's migrations */
    SqlSchema(String engine, DataSource migrationSource, String... locations) {
        this.engine = engine;
        this.migrationSource = migrationSource;
        this.locations = locations.clone();
    }

    /** Records that the schema was migrated already (SQLite migrates before it opens its pools). */
    void markMigrated() {
        migrated = true;
    }

    /**
     * Migrates the schema if that has not succeeded yet (PostgreSQL that was down at start). Only one thread
     * tries at a time; the others fail at once instead of piling up behind a slow connection attempt.
     */
    void ensureMigrated() {
        if (migrated) {
            return;
        }
        boolean locked = false;
        try {
            locked = migrationLock.tryLock(MIGRATION_WAIT_MS, TimeUnit.MILLISECONDS);
            if (!locked) {
                throw new StorageException(ErrorCode.STORE_UNAVAILABLE,
                        "The persistent store is starting; retry later");
            }
            if (!migrated) {
                migrate(migrationSource, locations);
                migrated = true;
                LOG.info("{} schema is up to date", engine);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(ErrorCode.STORE_UNAVAILABLE, "Interrupted; retry later", e);
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "migrate the schema", e);
        } finally {
            if (locked) {
                migrationLock.unlock();
            }
        }
    }

    static void migrate(DataSource source, String... locations) {
        Flyway.configure()
                .dataSource(source)
                .locations(locations)
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
