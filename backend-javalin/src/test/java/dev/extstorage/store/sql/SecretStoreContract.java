package dev.extstorage.store.sql;

import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.DataLifecycleContract;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.SecretStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static dev.extstorage.store.Fixtures.NOTES;
import static dev.extstorage.store.Fixtures.OTHER;
import static dev.extstorage.store.Fixtures.shared;
import static dev.extstorage.store.Fixtures.user;
import static dev.extstorage.store.sql.PersistentQuotaContract.NO_QUOTA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SecretStore} on the persistent engines (migration V13): apart from the entries (no listing, usage or
 * export sees them), per namespace, paged keys, purge and erasure in batches. The store keeps sealed texts as it
 * is given them; sealing is the API's ({@code SecretsContract}). Runs with {@link PersistentStoreContract}.
 */
interface SecretStoreContract {
    PersistentStore store();

    @Test
    default void secretsAreApartFromEntriesAndFromEachOther() {
        SecretStore secrets = store().secrets();
        store().set(user("alice"), "k", "\"entry\"", NO_QUOTA);
        String v1 = secrets.put(user("alice"), "k", "k1", "sealed-alice");
        secrets.put(user("bob"), "k", "k1", "sealed-bob");
        secrets.put(shared(), "k", "k1", "sealed-shared");
        secrets.put(Namespace.shared(OTHER), "k", "k1", "sealed-other");
        assertEquals("sealed-alice", secrets.get(user("alice"), "k").json());
        assertEquals(v1, secrets.get(user("alice"), "k").version());
        assertEquals("sealed-bob", secrets.get(user("bob"), "k").json());
        assertEquals("sealed-shared", secrets.get(shared(), "k").json());
        assertEquals("sealed-other", secrets.get(Namespace.shared(OTHER), "k").json());
        assertNull(secrets.get(user("carol"), "k"));
        String v2 = secrets.put(user("alice"), "k", "k2", "sealed-alice-2");
        assertNotEquals(v1, v2);
        assertEquals("sealed-alice-2", secrets.get(user("alice"), "k").json());
        // the entries know nothing of them
        assertEquals("\"entry\"", store().get(user("alice"), "k"));
        assertEquals(1, store().usage(user("alice")).entries());
        assertEquals(0, store().usage(shared()).entries());
        assertFalse(store().lifecycle().extensionsWithData().contains(OTHER.id()));
        List<String> exported = new ArrayList<>();
        store().lifecycle().exportUser("alice", (ext, resource, key, json, updated, expires) -> exported.add(json));
        assertEquals(List.of("\"entry\""), exported);
        assertTrue(secrets.remove(user("alice"), "k"));
        assertFalse(secrets.remove(user("alice"), "k"));
        assertEquals("sealed-bob", secrets.get(user("bob"), "k").json());
    }

    @Test
    default void keysArePagedInOrderPerNamespace() {
        SecretStore secrets = store().secrets();
        for (String k : DataLifecycleContract.WILD_KEYS) {
            secrets.put(user("alice"), k, "k1", "s");
        }
        secrets.put(user("bob"), "a", "k1", "s");
        List<String> all = new ArrayList<>();
        String after = null;
        List<String> page;
        while (!(page = secrets.keys(user("alice"), after, 4)).isEmpty()) {
            assertTrue(page.size() <= 4);
            all.addAll(page);
            after = page.get(page.size() - 1);
        }
        assertEquals(DataLifecycleContract.WILD_KEYS.size(), all.size(), all.toString());
        assertEquals(new HashSet<>(DataLifecycleContract.WILD_KEYS), new HashSet<>(all));
        assertEquals(List.of("a"), secrets.keys(user("bob"), null, 10));
    }

    @Test
    default void purgeAndErasureRemoveTheirsInBatches() {
        SecretStore secrets = store().secrets();
        int many = DataLifecycle.BATCH + 1;
        for (int i = 0; i < many; i++) {
            secrets.put(i % 2 == 0 ? shared() : user("u" + (i % 7)), "s" + i, "k1", "x");
        }
        secrets.put(Namespace.shared(OTHER), "s", "k1", "kept");
        secrets.put(Namespace.user(OTHER, "u1"), "s", "k1", "erased");
        secrets.put(Namespace.user(OTHER, "u2"), "s", "k1", "kept");
        assertEquals(many, secrets.count(NOTES));
        assertEquals(many, secrets.countsByExtension().get(NOTES.id()));
        assertEquals(3, secrets.countsByExtension().get(OTHER.id()));
        assertEquals(many, secrets.purge(NOTES));
        assertEquals(0, secrets.count(NOTES));
        assertFalse(secrets.countsByExtension().containsKey(NOTES.id()));
        assertEquals(3, secrets.countsByExtension().get(OTHER.id()));
        assertEquals(3, secrets.count(OTHER));
        assertEquals(1, secrets.eraseUser("u1"));
        assertNull(secrets.get(Namespace.user(OTHER, "u1"), "s"));
        assertEquals("kept", secrets.get(Namespace.user(OTHER, "u2"), "s").json());
        assertEquals("kept", secrets.get(Namespace.shared(OTHER), "s").json());
    }
}
