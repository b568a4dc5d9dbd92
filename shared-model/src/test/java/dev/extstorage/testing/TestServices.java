package dev.extstorage.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What tests need from the machine (Redis, PostgreSQL, Chromium, built artifacts) and the one rule for a part
 * that is missing: on a developer machine the test is skipped; under {@code CI=true} it fails, so CI can never
 * pass by silently testing nothing. {@code scripts/test} starts the services and exports their URLs.
 */
public final class TestServices {
    public static final String REDIS_URL = "EXT_STORAGE_TEST_REDIS_URL";
    public static final String PG_URL = "EXT_STORAGE_TEST_PG_URL";
    /** A Redis Cluster's {@code redis-cluster://host:port,...} URL (three masters, {@code scripts/services.sh}). */
    public static final String REDIS_CLUSTER_URL = "EXT_STORAGE_TEST_REDIS_CLUSTER_URL";

    private TestServices() {
    }

    /** Whether this run is CI's ({@code CI=true}), where nothing may be skipped for a missing part. */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips the calling test (or fails it under {@link #ci()}) unless {@code present}.
     *
     * @param what the missing part, as a person installs it (e.g. {@code /usr/bin/chromium (Debian chromium)})
     */
    public static void requirePart(boolean present, String what) {
        if (ci()) {
            Assertions.assertTrue(present, "CI=true but this test cannot run without " + what);
        } else {
            Assumptions.assumeTrue(present, "skipped: missing " + what);
        }
    }

    /** The value of environment variable {@code name}, required as {@link #requirePart} says. */
    public static String requiredEnv(String name) {
        String value = System.getenv(name);
        requirePart(value != null && !value.isBlank(), "env " + name + " (scripts/services.sh exports it)");
        return value.trim();
    }

    public static String redisUrl() {
        return requiredEnv(REDIS_URL);
    }

    public static String redisClusterUrl() {
        return requiredEnv(REDIS_CLUSTER_URL);
    }

    public static String postgresUrl() {
        return requiredEnv(PG_URL);
    }
}
