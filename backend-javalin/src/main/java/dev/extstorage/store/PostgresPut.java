package dev.extstorage.store;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.StorageException;
import org.postgresql.util.PSQLException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The PostgreSQL write of {@link SqlPersistentStore}: the steps of its SQLite write as one call of the
 * server-side function {@code ext_storage_put} (migration V4), so one round trip, and the usage row is never
 * locked across a network round trip.
 */
final class PostgresPut {
    private static final String PG_PUT = "SELECT ext_storage_put(?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String PG_QUOTA_STATE = "EXTQ1";

    private PostgresPut() {
    }

    /**
     * Writes the entry in its own transaction.
     *
     * @throws StorageException {@code QUOTA_EXCEEDED} if the write would grow the extension past its quota,
     *                          {@code STORE_UNAVAILABLE} on any other failure
     */
    static void put(DataSource pool, String engine, EntryDao.Ref ref, String json, long size, long quotaBytes) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(PG_PUT)) {
            long now = System.currentTimeMillis();
            EntryRefs.bindRow(ps, ref);
            ps.setString(6, json);
            ps.setLong(7, size);
            ps.setLong(8, now);
            ps.setLong(9, quotaBytes);
            ps.executeQuery().close();
        } catch (SQLException e) {
            if (PG_QUOTA_STATE.equals(e.getSQLState()) && e instanceof PSQLException
                    && ((PSQLException) e).getServerErrorMessage() != null) {
                long after = Long.parseLong(((PSQLException) e).getServerErrorMessage().getMessage());
                throw new StorageException(ErrorCode.QUOTA_EXCEEDED, "Storage quota exceeded: the extension"
                        + " would hold " + after + " bytes, its quota is " + quotaBytes, quotaBytes, after);
            }
            throw SqlFailures.unavailable(engine, "write", e);
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "write", e);
        }
    }
}
