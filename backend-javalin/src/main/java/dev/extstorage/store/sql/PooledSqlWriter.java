package dev.extstorage.store.sql;

import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL (removes, batches; single writes use {@code ext_storage_put}): a pooled connection per transaction,
 * whose usage is sharded ({@link Tx#shardedUsage()}); statements
 * are prepared per call, which pgjdbc turns into server-side prepared statements cached per connection.
 */
final class PooledSqlWriter implements SqlWriter {
    private final HikariDataSource pool;

    PooledSqlWriter(HikariDataSource pool) {
        this.pool = pool;
    }

    @Override
    public <T> T inTransaction(TxBody<T> body) throws SQLException {
        List<PreparedStatement> opened = new ArrayList<>(3);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = body.run(new Tx() {
                    @Override
                    public PreparedStatement prepare(String sql) throws SQLException {
                        PreparedStatement ps = c.prepareStatement(sql);
                        opened.add(ps);
                        return ps;
                    }

                    @Override
                    public boolean shardedUsage() {
                        return true;
                    }
                });
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            } finally {
                for (PreparedStatement ps : opened) {
                    ps.close();
                }
            }
        }
    }

    @Override
    public void close() {
        // The pool is the store's, which closes it.
    }
}
