package dev.extstorage.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoresTest {
    @Test
    void noRedisUrlMeansTheInProcessCache() {
        try (EphemeralStore s = Stores.openEphemeral(null, null, 1 << 20, 4)) {
            assertEquals("memory", s.engine());
        }
        try (EphemeralStore s = Stores.openEphemeral("  ", "p", 1 << 20, 4)) {
            assertEquals("memory", s.engine());
        }
    }

    @Test
    void aRedisUrlMeansRedisEvenBeforeItIsReachable() {
        try (EphemeralStore s = Stores.openEphemeral("redis://127.0.0.1:1/0", "p", 1 << 20, 4)) {
            assertEquals("redis", s.engine());
        }
    }

    @Test
    void unknownUrlKindsAreNamedWithoutTheSecret() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Stores.openPersistent("jdbc:mysql://root:s3cret@db/x", 2));
        assertTrue(e.getMessage().contains("jdbc:mysql"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Stores.openEphemeral("memcached://u:s3cret@h", "p", 1, 1));
        assertTrue(e.getMessage().contains("memcached"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Stores.openPersistent("", 2));
        assertThrows(IllegalArgumentException.class, () -> Stores.openPersistent(null, 2));
    }

    @Test
    void postgresUrlsBecomeJdbcUrls() {
        assertEquals("jdbc:postgresql://db.example:5433/app?sslmode=require&user=me&password=p%40ss",
                Stores.postgresJdbcUrl("postgresql://me:p%40ss@db.example:5433/app?sslmode=require"));
        assertEquals("jdbc:postgresql://db/app", Stores.postgresJdbcUrl("postgres://db/app"));
        assertEquals("jdbc:postgresql://db/app?user=me", Stores.postgresJdbcUrl("postgres://me@db/app"));
    }
}
