package dev.extstorage.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.extstorage.api.StorageUsage;
import dev.extstorage.api.TierUsage;

/** The JSON of usage records (SPEC section 9's names: {@code bytes, entries, quota, userBytes, userQuota, ...}). */
final class UsageJson {
    private UsageJson() {
    }

    /** {@code {"persistent": {...}, "ephemeral": {...}}} into {@code into}. */
    static ObjectNode put(ObjectNode into, StorageUsage usage) {
        tier(into.putObject("persistent"), usage.persistent());
        tier(into.putObject("ephemeral"), usage.ephemeral());
        return into;
    }

    private static void tier(ObjectNode o, TierUsage u) {
        o.put("bytes", u.bytes()).put("entries", u.entries()).put("quota", u.quota())
                .put("userBytes", u.userBytes()).put("userEntries", u.userEntries()).put("userQuota", u.userQuota())
                .put("sharedBytes", u.sharedBytes()).put("sharedEntries", u.sharedEntries())
                .put("sharedQuota", u.sharedQuota());
    }
}
