package dev.extstorage.registry;

import dev.extstorage.model.ExtensionId;

/**
 * An extension the server knows.
 *
 * @param displayName  a name for people; the id when no manifest gives one
 * @param remoteEntry  URL of its Module Federation {@code remoteEntry.js}, or {@code null} if it has no browser part
 */
public record InstalledExtension(ExtensionId id, String displayName, String remoteEntry) {
}
