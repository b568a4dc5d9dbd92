package dev.extstorage.api;

import dev.extstorage.model.Limits;
import dev.extstorage.model.Scope;
import dev.extstorage.store.Quota;

/**
 * The fair shares of one deployment (SPEC section 11): per tier, what one extension may hold, what each user's
 * user scope of it may hold and what its shared scope may hold. Bytes are counted as
 * {@link dev.extstorage.model.Limits#entryCost} does: key, value and a fixed per-entry overhead.
 */
public record Quotas(long persistentBytes, long persistentUserBytes, long persistentSharedBytes,
                     long ephemeralBytes, long ephemeralUserBytes, long ephemeralSharedBytes) {
    public static final long DEFAULT_PERSISTENT_BYTES = Limits.DEFAULT_QUOTA_BYTES;
    public static final long DEFAULT_PERSISTENT_USER_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_PERSISTENT_SHARED_BYTES = 50L * 1024 * 1024;
    public static final long DEFAULT_EPHEMERAL_BYTES = 32L * 1024 * 1024;
    public static final long DEFAULT_EPHEMERAL_USER_BYTES = 4L * 1024 * 1024;
    public static final long DEFAULT_EPHEMERAL_SHARED_BYTES = 16L * 1024 * 1024;

    public Quotas {
        if (persistentBytes < 1 || persistentUserBytes < 1 || persistentSharedBytes < 1 || ephemeralBytes < 1
                || ephemeralUserBytes < 1 || ephemeralSharedBytes < 1) {
            throw new IllegalArgumentException("quotas must be positive");
        }
    }

    public static Quotas defaults() {
        return new Quotas(DEFAULT_PERSISTENT_BYTES, DEFAULT_PERSISTENT_USER_BYTES, DEFAULT_PERSISTENT_SHARED_BYTES,
                DEFAULT_EPHEMERAL_BYTES, DEFAULT_EPHEMERAL_USER_BYTES, DEFAULT_EPHEMERAL_SHARED_BYTES);
    }

    /** Every share as large as the extension's quota on its tier: one extension-wide bound per tier. */
    public static Quotas unshared(long persistentBytes, long ephemeralBytes) {
        return new Quotas(persistentBytes, persistentBytes, persistentBytes, ephemeralBytes, ephemeralBytes,
                ephemeralBytes);
    }

    /** The bounds of a persistent write in {@code scope}. */
    public Quota persistent(Scope scope) {
        return new Quota(persistentBytes, scope == Scope.SHARED ? persistentSharedBytes : persistentUserBytes);
    }

    /** The bounds of an ephemeral write in {@code scope}. */
    public Quota ephemeral(Scope scope) {
        return new Quota(ephemeralBytes, scope == Scope.SHARED ? ephemeralSharedBytes : ephemeralUserBytes);
    }
}
