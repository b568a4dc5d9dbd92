package dev.extstorage.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The URLs of the test services: skipped when unset outside CI, a failure when unset under {@code CI=true}. */
public final class TestServices {
    private TestServices() {
    }

    public static String redisUrl() {
        return required("EXT_STORAGE_TEST_REDIS_URL");
    }

    public static String postgresUrl() {
        return required("EXT_STORAGE_TEST_PG_URL");
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(name + " must be set when CI=true (see scripts/services.sh)");
            }
            Assumptions.abort(name + " is not set; skipping tests that need the service");
        }
        return value.trim();
    }
}
