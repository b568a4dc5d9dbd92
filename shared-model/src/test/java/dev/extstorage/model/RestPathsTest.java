package dev.extstorage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RestPathsTest {
    private static final ExtensionId EXT = ExtensionId.of("acme", "sidebar-tools");
    private static final String TIER_PATH = "/api/v1/extensions/acme/sidebar-tools/storage/";

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"/", "//"})
    void emptyApiBaseGivesARootRelativePath(String base) {
        assertEquals(TIER_PATH + "persistent", RestPaths.tierUrl(base, EXT, Tier.PERSISTENT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://127.0.0.1:8080/", "http://127.0.0.1:8080///"})
    void apiBaseTrailingSlashesAreTrimmed(String base) {
        assertEquals("http://127.0.0.1:8080" + TIER_PATH + "ephemeral", RestPaths.tierUrl(base, EXT, Tier.EPHEMERAL));
    }

    @Test
    void apiBaseWithAPath() {
        assertEquals("https://bi.example.com/superset" + TIER_PATH + "persistent",
                RestPaths.tierUrl("https://bi.example.com/superset/", EXT, Tier.PERSISTENT));
    }

    @Test
    void keyUrls() {
        assertEquals(TIER_PATH + "persistent/preferences", RestPaths.keyUrl("", EXT, Tier.PERSISTENT, "preferences",
                Scope.USER));
        assertEquals(TIER_PATH + "ephemeral/job_progress?shared=true",
                RestPaths.keyUrl("", EXT, Tier.EPHEMERAL, "job_progress", Scope.SHARED));
        assertEquals("http://h" + TIER_PATH + "persistent/a%2Fb%20c%25d%3Ae%2Bf",
                RestPaths.keyUrl("http://h/", EXT, Tier.PERSISTENT, "a/b c%d:e+f", Scope.USER));
        assertEquals(TIER_PATH + "persistent/%2F..",
                RestPaths.keyUrl("", EXT, Tier.PERSISTENT, "/..", Scope.USER));
        assertEquals(TIER_PATH + "persistent/%F0%9F%98%80?shared=true",
                RestPaths.keyUrl("", EXT, Tier.PERSISTENT, "\uD83D\uDE00", Scope.SHARED));
    }

    @Test
    void listUrls() {
        assertEquals(TIER_PATH + "persistent?page=0&page_size=10", RestPaths.listUrl("", EXT, Tier.PERSISTENT, Scope.USER, "", 0, 10));
        assertEquals("http://h" + TIER_PATH + "persistent?page=3&page_size=100&shared=true",
                RestPaths.listUrl("http://h", EXT, Tier.PERSISTENT, Scope.SHARED, "", 3, 100));
        assertEquals(TIER_PATH + "ephemeral?page=1&page_size=5&prefix=a%2A%3F%5B%5C%3A%25%26%2B%23&shared=true",
                RestPaths.listUrl("", EXT, Tier.EPHEMERAL, Scope.SHARED, "a*?[\\:%&+#", 1, 5));
        assertEquals("http://h" + TIER_PATH + "usage", RestPaths.usageUrl("http://h/", EXT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a%b", "%2F", "a+b", "a b", "..x", "...", "\uD83D\uDE00", "\u65E5\u672C", ":", "?#&"})
    void keyUrlSegmentDecodesBackToTheKey(String key) {
        String url = RestPaths.keyUrl("http://h", EXT, Tier.PERSISTENT, key, Scope.SHARED);
        String segment = url.substring((("http://h" + TIER_PATH + "persistent/").length()), url.indexOf('?'));
        assertEquals(-1, segment.indexOf('/'));
        assertEquals(key, RestPaths.decodeKey(segment));
    }

    @Test
    void decodeKeyAcceptsTheLongestKeys() {
        assertEquals("a".repeat(255), RestPaths.decodeKey("a".repeat(255)));
        assertEquals("\uD83D\uDE00".repeat(255), RestPaths.decodeKey("%F0%9F%98%80".repeat(255)));
        assertEquals("a+b", RestPaths.decodeKey("a+b"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {".", "..", "%2E", "%2e%2E", "%00", "a%0Ab", "%7F", "%1F", "%", "%ZZ", "%C0%AF", "%ED%A0%80",
            "%80", "%C3"})
    void decodeKeyRejects(String segment) {
        StorageException e = assertThrows(StorageException.class, () -> RestPaths.decodeKey(segment));
        assertEquals(ErrorCode.INVALID_KEY, e.code());
    }

    @Test
    void decodeKeyTooLongCarriesDetails() {
        StorageException e = assertThrows(StorageException.class, () -> RestPaths.decodeKey("%41".repeat(256)));
        assertEquals(ErrorCode.INVALID_KEY, e.code());
        assertEquals(255, e.limit());
        assertEquals(256, e.actual());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/extensions/a/b/storage/persistent/x/../k",
            "/api/v1/extensions/a/b/storage/persistent/..", "/api/v1/extensions/a/b/storage/persistent/.",
            "/api/v1/extensions/./b/storage/persistent/k", "/..", "/api/v1/extensions/a/b/storage/persistent/k/."})
    void dotSegmentsAnywhere(String path) {
        assertTrue(RestPaths.hasDotSegment(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/extensions/a/b/storage/persistent/%2E%2E",
            "/api/v1/extensions/a/b/storage/persistent/...", "/api/v1/extensions/a/b/storage/persistent/a.",
            "/api/v1/extensions/a/b/storage/persistent/.a", "/api/v1/extensions/a/b/storage/persistent/..a", "/", ""})
    void dotsInsideSegmentsAreCharacters(String path) {
        assertFalse(RestPaths.hasDotSegment(path));
    }

    @Test
    void storagePathParts() {
        RestPaths.StoragePath p = RestPaths.parseStoragePath("/api/v1/extensions/acme/no%74es/storage/persistent/a%2Fb/c");
        assertEquals(new RestPaths.StoragePath("acme", "notes", "persistent", "a%2Fb/c"), p);
        assertEquals(new RestPaths.StoragePath("acme", "notes", "ephemeral", null),
                RestPaths.parseStoragePath("/api/v1/extensions/acme/notes/storage/ephemeral"));
        assertEquals(new RestPaths.StoragePath("acme", "notes", "ephemeral", ""),
                RestPaths.parseStoragePath("/api/v1/extensions/acme/notes/storage/ephemeral/"));
        assertNull(RestPaths.parseStoragePath("/api/v1/extensions/acme/notes/other/ephemeral/k"));
        assertNull(RestPaths.parseStoragePath("/api/v1/extensions/acme/notes/storage"));
        assertNull(RestPaths.parseStoragePath("/api/v1/me"));
    }

    @Test
    void malformedEscapesAreFound() {
        for (String bad : new String[] {"/a/%", "/a/%4", "/a/%zz", "/a/%u002E", "/a/%4g/b", "/a%"}) {
            org.junit.jupiter.api.Assertions.assertTrue(RestPaths.hasMalformedEscape(bad), bad);
        }
        for (String good : new String[] {"/a/b", "/a/%41", "/a/%2e%2E", "/a/%e2%82%ac/x", "/%41%42"}) {
            org.junit.jupiter.api.Assertions.assertFalse(RestPaths.hasMalformedEscape(good), good);
        }
    }
}
