package dev.extstorage.registry;

import dev.extstorage.model.ExtensionId;

/**
 * An extension the server knows.
 *
 * @param displayName  a name for people; the id when no manifest gives one
 * @param remoteEntry  URL of its Module Federation {@code remoteEntry.js}, or {@code null} if it has no browser part
 * @param sandbox      whether the host runs its browser part in a sandboxed frame (manifest {@code "sandbox": true},
 *                     SPEC section 12) rather than in the page
 */
public record InstalledExtension(ExtensionId id, String displayName, String remoteEntry, boolean sandbox) {
}
