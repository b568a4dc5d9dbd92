package dev.extstorage.api;

import dev.extstorage.store.ExtensionUsage;
import dev.extstorage.store.Quota;

/**
 * What one extension holds on one server tier against its bounds (SPEC section 9's usage record): in all
 * ({@code bytes}, {@code entries}, {@code quota}), in the caller's user scope ({@code user...}, zeros without a
 * user) and in the shared scope ({@code shared...}). Bytes as quotas count them: key, value and the per-entry
 * overhead.
 */
public record TierUsage(long bytes, long entries, long quota, long userBytes, long userEntries, long userQuota,
                        long sharedBytes, long sharedEntries, long sharedQuota) {
    static TierUsage of(ExtensionUsage u, Quota userBounds, Quota sharedBounds) {
        return new TierUsage(u.extension().bytes(), u.extension().entries(), userBounds.extensionBytes(),
                u.user().bytes(), u.user().entries(), userBounds.ownerBytes(),
                u.shared().bytes(), u.shared().entries(), sharedBounds.ownerBytes());
    }
}
