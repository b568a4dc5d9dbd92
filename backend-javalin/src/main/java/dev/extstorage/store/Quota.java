package dev.extstorage.store;

/**
 * The bounds one write must stay within, in bytes as {@link dev.extstorage.model.Limits#entryCost} counts
 * them: the whole extension's on the tier, and the one namespace's (a user's share of the user scope, or the
 * shared scope's bound). A write that does not grow the bytes it changes is always accepted.
 *
 * @param extensionBytes the most the extension may hold on the tier, all namespaces together
 * @param ownerBytes     the most the written namespace may hold
 */
public record Quota(long extensionBytes, long ownerBytes) {
    public Quota {
        if (extensionBytes < 1 || ownerBytes < 1) {
            throw new IllegalArgumentException("quotas must be positive");
        }
    }

    /** No bound below the extension's: the namespace may take all of it. */
    public static Quota ofExtension(long extensionBytes) {
        return new Quota(extensionBytes, extensionBytes);
    }
}
