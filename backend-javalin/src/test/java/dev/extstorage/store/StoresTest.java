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
        try (EphemeralStore s = Stores.openEphemeral("redis-cluster://127.0.0.1:1,127.0.0.1:2", "p", 1 << 20, 4)) {
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
        e = assertThrows(IllegalArgumentException.class,
                () -> Stores.openEphemeral("redis-cluster://u:s3cret@h:1,h:port", "p", 1, 1));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Stores.openPersistent("", 2));
        assertThrows(IllegalArgumentException.class, () -> Stores.openPersistent(null, 2));
    }

    @Test
    void onlyTheJdbcFormOfAPostgresUrlIsAccepted() {
        // The configuration accepts jdbc:sqlite: and jdbc:postgresql: only, so the store does too.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Stores.openPersistent("postgres://me:s3cret@db/app", 2));
        assertTrue(e.getMessage().contains("'postgres'"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Stores.openPersistent("postgresql://db/app", 2));
    }
}
