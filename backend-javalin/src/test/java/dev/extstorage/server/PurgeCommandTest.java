package dev.extstorage.server;

import dev.extstorage.config.ServerConfig;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Quota;
import dev.extstorage.store.Stores;
import dev.extstorage.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code purge <publisher.name> [--dry-run]} run in-process, with a configuration as the server reads it. */
class PurgeCommandTest {
    private static final Quota NO_QUOTA = Quota.ofExtension(Long.MAX_VALUE);
    private static final ExtensionId NOTES = ExtensionId.of("acme", "notes");
    private static final ExtensionId TODO = ExtensionId.of("globex", "todo");

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PurgeCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** On one Redis and on a Redis Cluster. */
    @ParameterizedTest
    @ValueSource(strings = {TestServices.REDIS_URL, TestServices.REDIS_CLUSTER_URL})
    void purgesBothTiersOfOneExtensionAndADryRunOnlyCounts(String redisUrlEnv) {
        String prefix = "ext-storage-test-purge-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = Map.of(ServerConfig.DB_URL, "jdbc:sqlite:" + dir.resolve("s.db"),
                ServerConfig.REDIS_URL, TestServices.requiredEnv(redisUrlEnv), ServerConfig.REDIS_PREFIX, prefix);
        try (PersistentStore persistent = Stores.openPersistent(env.get(ServerConfig.DB_URL), 2);
             EphemeralStore ephemeral = Stores.openEphemeral(env.get(ServerConfig.REDIS_URL), prefix, 1 << 20, 2)) {
            for (int i = 0; i < 3; i++) {
                persistent.set(Namespace.user(NOTES, "u" + i), "k", "1", NO_QUOTA);
                ephemeral.set(Namespace.shared(NOTES), "e" + i, "2", 300, NO_QUOTA);
            }
            persistent.set(Namespace.shared(TODO), "k", "3", NO_QUOTA);
            ephemeral.set(Namespace.shared(TODO), "e", "4", 300, NO_QUOTA);
            // secrets (the store holds sealed texts as given: here any text will do)
            persistent.secrets().put(Namespace.shared(NOTES), "s", "k1", "sealed-1");
            persistent.secrets().put(Namespace.user(NOTES, "u0"), "s", "k1", "sealed-2");
            persistent.secrets().put(Namespace.shared(TODO), "s", "k1", "sealed-3");

            Run dry = run(env, "acme.notes", "--dry-run");
            assertEquals(0, dry.status(), dry.err());
            assertTrue(dry.out().startsWith("Would remove 6 entries of acme.notes: persistent 3 (sqlite), ephemeral 3"
                    + " (redis)"), dry.out());
            assertTrue(dry.out().contains("and 2 secrets"), dry.out());
            assertEquals("1", persistent.get(Namespace.user(NOTES, "u0"), "k"));
            assertEquals("sealed-1", persistent.secrets().get(Namespace.shared(NOTES), "s").json());

            Run real = run(env, "acme.notes");
            assertEquals(0, real.status(), real.err());
            assertTrue(real.out().startsWith("Removed 6 entries of acme.notes: persistent 3 (sqlite), ephemeral 3"),
                    real.out());
            assertTrue(real.out().contains("and 2 secrets"), real.out());
            assertNull(persistent.get(Namespace.user(NOTES, "u0"), "k"));
            assertNull(persistent.secrets().get(Namespace.shared(NOTES), "s"));
            assertNull(persistent.secrets().get(Namespace.user(NOTES, "u0"), "s"));
            assertEquals("sealed-3", persistent.secrets().get(Namespace.shared(TODO), "s").json());
            assertNull(ephemeral.get(Namespace.shared(NOTES), "e0"));
            assertEquals("3", persistent.get(Namespace.shared(TODO), "k"));
            assertEquals("4", ephemeral.get(Namespace.shared(TODO), "e"));
            ephemeral.lifecycle().purge(TODO);
        }
    }

    @Test
    void refusesBadArgumentsAndConfiguration() {
        Map<String, String> env = Map.of(ServerConfig.DB_URL, "jdbc:sqlite:" + dir.resolve("s.db"));
        assertEquals(2, run(env).status());
        assertEquals(2, run(env, "no-dot").status());
        Run bad = run(env, "acme.notes", "--port=nope");
        assertEquals(2, bad.status());
        assertTrue(bad.err().startsWith("Configuration error"), bad.err());
        Run embedded = run(env, "acme.notes");
        assertEquals(0, embedded.status(), embedded.err());
        assertTrue(embedded.out().contains("in-process cache is not reachable"), embedded.out());
    }
}
