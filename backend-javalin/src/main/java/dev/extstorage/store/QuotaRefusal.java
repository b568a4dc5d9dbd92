package dev.extstorage.store;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;

/** The {@code QUOTA_EXCEEDED} refusals of ephemeral writes, worded alike by every engine. */
final class QuotaRefusal {
    private QuotaRefusal() {
    }

    /** The namespace's bound: a user's share of the user scope, or the shared scope's bound. */
    static StorageException namespace(Scope scope, long bound, long wouldHold) {
        String who = scope == Scope.SHARED ? "the extension's shared data" : "this user's data of the extension";
        return new StorageException(ErrorCode.QUOTA_EXCEEDED, "Ephemeral storage quota exceeded: " + who
                + " would take " + wouldHold + " bytes, its share is " + bound, bound, wouldHold);
    }

    /** The whole extension's bound on the ephemeral tier. */
    static StorageException extension(long bound, long wouldHold) {
        return new StorageException(ErrorCode.QUOTA_EXCEEDED, "Ephemeral storage quota exceeded: the extension"
                + " would hold " + wouldHold + " bytes, its quota is " + bound, bound, wouldHold);
    }
}
