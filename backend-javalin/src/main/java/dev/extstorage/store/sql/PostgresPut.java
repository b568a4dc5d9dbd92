package dev.extstorage.store.sql;

import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import dev.extstorage.store.Quota;
import org.postgresql.util.PSQLException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The write of {@link PostgresPersistentStore}: the steps of its SQLite write as one call of the
 * server-side function {@code ext_storage_put} (migration V15: V12's with sharded usage, see {@link UsageRows}),
 * so one round trip, and no usage row is ever locked across a network round trip. The function checks the write's precondition in the statement that writes
 * the entry.
 */
final class PostgresPut {
    private static final String PG_PUT = "SELECT ext_storage_put(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Raised by ext_storage_put when the precondition does not hold; the message is the current version or ''. */
    private static final String PG_PRECONDITION_STATE = "EXTP1";

    private PostgresPut() {
    }

    /**
     * Writes the entry in its own transaction.
     *
     * @param size    the entry's cost, {@link dev.extstorage.model.Limits#entryCost}
     * @param version the entry's new version
     * @throws dev.extstorage.model.StorageException {@code PRECONDITION_FAILED} if {@code condition} does not
     *         hold; {@code QUOTA_EXCEEDED} if the write would grow the namespace
     *         or the extension past its bound, {@code STORE_UNAVAILABLE} on any other failure
     */
    static void put(DataSource pool, String engine, EntryDao.Ref ref, String json, long size, Quota quota,
                    String version, Precondition condition) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(PG_PUT)) {
            long now = System.currentTimeMillis();
            ps.setString(1, ref.ext());
            ps.setString(2, ref.scope());
            ps.setString(3, ref.owner());
            ps.setString(4, ref.ownerHash());
            ps.setString(5, ref.key());
            ps.setString(6, json);
            ps.setLong(7, size);
            ps.setLong(8, now);
            ps.setLong(9, quota.extensionBytes());
            ps.setLong(10, quota.ownerBytes());
            ps.setString(11, version);
            ps.setString(12, condition.kind() == Precondition.Kind.NONE ? "none"
                    : condition.kind().name().toLowerCase(Locale.ROOT));
            ps.setString(13, String.join(" ", condition.versions()));
            ps.setString(14, ref.resource());
            ps.executeQuery().close();
        } catch (SQLException e) {
            if (PG_PRECONDITION_STATE.equals(e.getSQLState()) && e instanceof PSQLException p
                    && p.getServerErrorMessage() != null) {
                String current = p.getServerErrorMessage().getMessage();
                throw condition.failure(current == null || current.isEmpty() ? null : current);
            }
            StorageException refusal = UsageRows.refusal(e, ref.scope(), quota);
            if (refusal != null) {
                throw refusal;
            }
            throw SqlFailures.unavailable(engine, "write", e);
        } catch (RuntimeException e) {
            throw SqlFailures.unavailable(engine, "write", e);
        }
    }
}
