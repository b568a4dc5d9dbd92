package dev.extstorage.api;

import dev.extstorage.crypto.KeyRing;
import dev.extstorage.events.ChangeFeed;
import dev.extstorage.events.InProcessChangeFeed;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Limits;
import dev.extstorage.registry.ExtensionRegistry;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.PersistentStore;

import java.util.Set;

/**
 * The server-side storage API (SPEC section 6), the one path to the stores: the REST handlers and extensions'
 * own server code both come through here, so both get the same limits, isolation and errors.
 *
 * <pre>{@code
 * ExtensionStorage storage = service.forUser(ExtensionId.of("acme", "notes"), "alice", Set.of());
 * storage.ephemeral().set("job", Map.of("pct", 42), Duration.ofMinutes(5));
 * JsonNode config = storage.persistent().shared().get("config");
 * String apiToken = service.forExtension(ExtensionId.of("acme", "notes")).secrets().getString("crm-token");
 * }</pre>
 */
public final class StorageService {
    private final ExtensionRegistry registry;
    private final EphemeralStore ephemeral;
    private final PersistentStore persistent;
    private final Limits limits;
    private final Quotas quotas;
    private final long maxListBytes;
    private final String sharedWriteRole;
    private final JsonCodec codec;
    private final ChangeFeed changes;
    private final AtRest atRest;

    /**
     * @param maxListBytes    the most bytes of entries one listing page may carry
     * @param sharedWriteRole role a user needs to write shared data, or {@code null} when every user may
     */
    public StorageService(ExtensionRegistry registry, EphemeralStore ephemeral, PersistentStore persistent,
                          Limits limits, Quotas quotas, long maxListBytes, String sharedWriteRole, JsonCodec codec) {
        this(registry, ephemeral, persistent, limits, quotas, maxListBytes, sharedWriteRole, codec,
                new InProcessChangeFeed(1000));
    }

    /** As above, publishing every change to {@code changes} (the caller closes it). */
    public StorageService(ExtensionRegistry registry, EphemeralStore ephemeral, PersistentStore persistent,
                          Limits limits, Quotas quotas, long maxListBytes, String sharedWriteRole, JsonCodec codec,
                          ChangeFeed changes) {
        this(registry, ephemeral, persistent, limits, quotas, maxListBytes, sharedWriteRole, codec, changes, null);
    }

    /**
     * As above, with encryption at rest: {@code keys} seal the values written with {@code encrypt} and open them
     * on every read ({@code null}: no keys, {@code encrypt} is refused).
     */
    public StorageService(ExtensionRegistry registry, EphemeralStore ephemeral, PersistentStore persistent,
                          Limits limits, Quotas quotas, long maxListBytes, String sharedWriteRole, JsonCodec codec,
                          ChangeFeed changes, KeyRing keys) {
        this.atRest = new AtRest(keys);
        this.changes = changes;
        this.registry = registry;
        this.quotas = quotas;
        this.maxListBytes = maxListBytes;
        this.ephemeral = ephemeral;
        this.persistent = persistent;
        this.limits = limits;
        this.sharedWriteRole = sharedWriteRole;
        this.codec = codec;
    }

    /**
     * Storage of {@code extension} for a user.
     *
     * @throws dev.extstorage.model.StorageException {@code EXTENSION_NOT_FOUND} unless it is installed
     */
    public ExtensionStorage forCaller(ExtensionId extension, Caller caller) {
        registry.require(extension);
        return new ExtensionStorage(this, extension, caller);
    }

    public ExtensionStorage forUser(ExtensionId extension, String userId, Set<String> roles) {
        return forCaller(extension, Caller.user(userId, roles));
    }

    /** Storage of {@code extension} for its own server code: shared scope only. */
    public ExtensionStorage forExtension(ExtensionId extension) {
        return forCaller(extension, Caller.system());
    }

    /** Administration of data across extensions and users: no role is checked here (see {@link StorageAdmin}). */
    public StorageAdmin admin() {
        return new StorageAdmin(registry, persistent.lifecycle(), ephemeral.lifecycle(), persistent.secrets(), quotas,
                atRest);
    }

    public Limits limits() {
        return limits;
    }

    public Quotas quotas() {
        return quotas;
    }

    /** The most bytes of entries one listing page may carry ({@code PAGE_TOO_LARGE} beyond). */
    public long maxListBytes() {
        return maxListBytes;
    }

    public JsonCodec codec() {
        return codec;
    }

    /** Where every write and remove through this service is published (SPEC section 8). */
    public ChangeFeed changes() {
        return changes;
    }

    EphemeralStore ephemeralStore() {
        return ephemeral;
    }

    PersistentStore persistentStore() {
        return persistent;
    }

    /** Whether {@code encrypt} can be honoured: the server has encryption keys. */
    public boolean encryptionEnabled() {
        return atRest.enabled();
    }

    AtRest atRest() {
        return atRest;
    }

    String sharedWriteRole() {
        return sharedWriteRole;
    }
}
