package dev.extstorage.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The batch rules the browser module and the server share, and the batch URL. */
class BatchesTest {
    private static StorageException refused(ErrorCode code, Runnable call) {
        StorageException e = assertThrows(StorageException.class, call::run);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    @Test
    void upToOneHundredDistinctValidKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < Batches.MAX_KEYS; i++) {
            keys.add("k/" + i + " :%\ud83d\ude00");
        }
        assertSame(keys, Batches.requireValidKeys(keys));
        assertEquals(List.of(), Batches.requireValidKeys(List.of()));
        keys.add("one more");
        StorageException many = refused(ErrorCode.INVALID_BODY, () -> Batches.requireValidKeys(keys));
        assertEquals(100, many.limit());
        assertEquals(101, many.actual());
        refused(ErrorCode.INVALID_BODY, () -> Batches.requireValidKeys(List.of("a", "b", "a")));
        refused(ErrorCode.INVALID_BODY, () -> Batches.requireValidKeys((List<String>) null));
        refused(ErrorCode.INVALID_KEY, () -> Batches.requireValidKeys(List.of("a", "")));
        refused(ErrorCode.INVALID_KEY, () -> Batches.requireValidKeys(List.of("..")));
        refused(ErrorCode.INVALID_KEY, () -> Batches.requireValidKeys(List.of("x".repeat(256))));
    }

    @Test
    void theBrowsersArraysFollowTheSameRule() {
        String[] keys = new String[Batches.MAX_KEYS];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "k/" + i;
        }
        assertSame(keys, Batches.requireValidKeys(keys));
        StorageException many = refused(ErrorCode.INVALID_BODY,
                () -> Batches.requireValidKeys(new String[Batches.MAX_KEYS + 1]));
        assertEquals(101, many.actual());
        refused(ErrorCode.INVALID_BODY, () -> Batches.requireValidKeys(new String[] {"a", "b", "a"}));
        refused(ErrorCode.INVALID_KEY, () -> Batches.requireValidKeys(new String[] {"a", ".."}));
    }

    @Test
    void valuesAreCountedAsTheValueLimitCountsThem() {
        assertEquals(4, Batches.valueSize("\"\u00e9\""));
        assertEquals(3, Batches.valueSize(StoredValues.binary("AAEC")));
        Batches.requireTotal(1000, 1000);
        StorageException e = refused(ErrorCode.VALUE_TOO_LARGE, () -> Batches.requireTotal(1001, 1000));
        assertEquals(1000, e.limit());
        assertEquals(1001, e.actual());
    }

    @Test
    void aBatchIsThePostOnTheTier() {
        ExtensionId notes = ExtensionId.of("acme", "notes");
        assertEquals("https://h/api/v1/extensions/acme/notes/storage/persistent",
                RestPaths.batchUrl("https://h/", notes, Tier.PERSISTENT, Scope.USER));
        assertEquals("/api/v1/extensions/acme/notes/storage/ephemeral?shared=true",
                RestPaths.batchUrl("", notes, Tier.EPHEMERAL, Scope.SHARED));
        // the tier itself: no key's URL is it
        assertEquals(null, RestPaths.parseStoragePath(RestPaths.batchUrl("", notes, Tier.PERSISTENT, Scope.USER))
                .rawKey());
    }
}
