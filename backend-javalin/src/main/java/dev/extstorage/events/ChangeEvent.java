package dev.extstorage.events;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;
import dev.extstorage.model.Utf8;
import dev.extstorage.store.Namespace;

/**
 * One change of one server entry (SPEC section 8): a write or a remove. Expiry and eviction of ephemeral
 * entries make no event.
 *
 * @param extension the extension whose entry changed
 * @param tier      {@link Tier#EPHEMERAL} or {@link Tier#PERSISTENT}
 * @param scope     user or shared
 * @param ownerId   the user whose user-scoped entry changed; {@code null} for the shared scope
 * @param key       the entry's key
 * @param version   the entry's new version, {@code null} when deleted or not known
 * @param valueJson the new value as compact JSON text; {@code null} when deleted or when its encoding is above
 *                  {@link #MAX_VALUE_BYTES} (a listener re-reads the key then)
 * @param deleted   whether the entry was removed
 * @param id        the feed's id of this event ({@link EventId#toString()}); {@code null} until published
 * @param resource  the resource of the entry ({@link dev.extstorage.model.ResourceRef#storageForm()}, persistent
 *                  tier only), {@code null} for a plain entry: listeners tell a resource's entries apart by it
 */
public record ChangeEvent(ExtensionId extension, Tier tier, Scope scope, String ownerId, String key, String version,
                          String valueJson, boolean deleted, String id, String resource) {
    /** Values whose UTF-8 encoding is longer than this travel without their value (SPEC section 8). */
    public static final long MAX_VALUE_BYTES = 64 * 1024;

    public ChangeEvent {
        if (extension == null || tier == null || !tier.isServer() || scope == null || key == null) {
            throw new IllegalArgumentException("extension, a server tier, scope and key are required");
        }
        if ((scope == Scope.USER) != (ownerId != null)) {
            throw new IllegalArgumentException("a user-scope event names its owner, a shared one none");
        }
    }

    /** A plain entry's change. */
    public ChangeEvent(ExtensionId extension, Tier tier, Scope scope, String ownerId, String key, String version,
                       String valueJson, boolean deleted, String id) {
        this(extension, tier, scope, ownerId, key, version, valueJson, deleted, id, null);
    }

    /** A write of {@code valueJson} to {@code key} in {@code ns}; a value above the event limit is left out. */
    public static ChangeEvent written(Namespace ns, Tier tier, String key, String version, String valueJson) {
        String value = valueJson != null && Utf8.length(valueJson) <= MAX_VALUE_BYTES ? valueJson : null;
        return new ChangeEvent(ns.extension(), tier, ns.scope(), ns.userId(), key, version, value, false, null,
                resourceOf(ns));
    }

    /** A remove of {@code key} in {@code ns} (also when nothing was there: the caller cannot tell cheaply). */
    public static ChangeEvent removed(Namespace ns, Tier tier, String key) {
        return new ChangeEvent(ns.extension(), tier, ns.scope(), ns.userId(), key, null, null, true, null,
                resourceOf(ns));
    }

    private static String resourceOf(Namespace ns) {
        return ns.resource() == null ? null : ns.resource().storageForm();
    }

    /** About what this event costs while it waits in memory: the record and its strings, the value's bytes. */
    long memoryCost() {
        return 256 + 2L * key.length() + (valueJson == null ? 0 : Utf8.length(valueJson));
    }

    /** This event with the id its feed gave it. */
    public ChangeEvent withId(String newId) {
        return new ChangeEvent(extension, tier, scope, ownerId, key, version, valueJson, deleted, newId, resource);
    }
}
