package dev.extstorage.store;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.Tier;

/** The {@code QUOTA_EXCEEDED} refusals of writes, worded alike by every engine of both tiers. */
public final class QuotaRefusal {
    private QuotaRefusal() {
    }

    /** The namespace's bound: a user's share of the user scope, or the shared scope's bound. */
    public static StorageException namespace(Tier tier, Scope scope, long bound, long wouldHold) {
        String who = scope == Scope.SHARED ? "the extension's shared data" : "this user's data of the extension";
        return new StorageException(ErrorCode.QUOTA_EXCEEDED, title(tier) + " storage quota exceeded: " + who
                + " would take " + wouldHold + " bytes, its share is " + bound, bound, wouldHold);
    }

    /** The whole extension's bound on the tier. */
    public static StorageException extension(Tier tier, long bound, long wouldHold) {
        return new StorageException(ErrorCode.QUOTA_EXCEEDED, title(tier) + " storage quota exceeded: the"
                + " extension would hold " + wouldHold + " bytes, its quota is " + bound, bound, wouldHold);
    }

    private static String title(Tier tier) {
        return tier == Tier.EPHEMERAL ? "Ephemeral" : "Persistent";
    }
}
