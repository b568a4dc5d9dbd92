package dev.extstorage.api;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;
import dev.extstorage.registry.ExtensionRegistry;
import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.SecretStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Administration of server data across extensions and users (SPEC section 9): the extensions holding data with
 * their usage, the purge of one extension (installed or not), one user's export and erasure. Callers check the
 * administrator role (the REST routes) or run as the operator (the command line); this class does not.
 */
public final class StorageAdmin {
    private final ExtensionRegistry registry;
    private final DataLifecycle persistent;
    private final DataLifecycle ephemeral;
    private final Quotas quotas;
    private final AtRest atRest;
    private final SecretStore secrets;

    StorageAdmin(ExtensionRegistry registry, DataLifecycle persistent, DataLifecycle ephemeral, SecretStore secrets,
                 Quotas quotas, AtRest atRest) {
        this.atRest = atRest;
        this.secrets = secrets;
        this.registry = registry;
        this.persistent = persistent;
        this.ephemeral = ephemeral;
        this.quotas = quotas;
    }

    /** The administration of these stores (the command line's, which has no {@link StorageService} and does not export). */
    public static StorageAdmin of(ExtensionRegistry registry, PersistentStore persistent,
                                  EphemeralStore ephemeral, Quotas quotas) {
        return new StorageAdmin(registry, persistent.lifecycle(), ephemeral.lifecycle(), persistent.secrets(), quotas,
                new AtRest(null));
    }

    /**
     * Every extension holding data on a server tier or server-only secrets, installed or not, sorted by id, with its
     * usage and its count of secrets: everything a purge would remove is found here.
     */
    public List<ExtensionReport> extensions() {
        TreeSet<String> ids = new TreeSet<>(persistent.extensionsWithData());
        ids.addAll(ephemeral.extensionsWithData());
        Map<String, Long> secretCounts = secrets.countsByExtension();
        ids.addAll(secretCounts.keySet());
        List<ExtensionReport> reports = new ArrayList<>();
        for (String id : ids) {
            ExtensionId extension = ExtensionId.parse(id);
            reports.add(new ExtensionReport(id, registry.isInstalled(extension), usage(extension, null),
                    secretCounts.getOrDefault(id, 0L)));
        }
        return reports;
    }

    /** What the extension holds on both tiers; the user figures are {@code userIdOrNull}'s (zeros for none). */
    public StorageUsage usage(ExtensionId extension, String userIdOrNull) {
        return new StorageUsage(
                TierUsage.of(persistent.usage(extension, userIdOrNull), quotas.persistent(Scope.USER),
                        quotas.persistent(Scope.SHARED)),
                TierUsage.of(ephemeral.usage(extension, userIdOrNull), quotas.ephemeral(Scope.USER),
                        quotas.ephemeral(Scope.SHARED)));
    }

    /**
     * Removes every server entry and server-only secret of the extension, installed or not, all scopes and users,
     * in bounded batches ({@link DataLifecycle}); with {@code dryRun} only counts what there is now.
     */
    public PurgeResult purge(ExtensionId extension, boolean dryRun) {
        if (dryRun) {
            return new PurgeResult(extension.id(), persistent.usage(extension, null).extension().entries(),
                    ephemeral.usage(extension, null).extension().entries(), secrets.count(extension), true);
        }
        long p = persistent.purge(extension);
        long e = ephemeral.purge(extension);
        long s = secrets.purge(extension);
        return new PurgeResult(extension.id(), p, e, s, false);
    }

    /**
     * Removes every entry of the resource (SPEC section 10), all extensions, scopes and users, in bounded batches
     * ({@link DataLifecycle}), for a host that deleted the resource; how many were removed (only the persistent
     * tier has resource entries).
     */
    public long purgeResource(ResourceRef resource) {
        return persistent.purgeResource(resource);
    }

    /** Hands every user-scoped entry of the user, all extensions, persistent first, to {@code sink}. */
    public void exportUser(String userId, ExportSink sink) {
        // encrypted values are opened here as on every read; one that does not open ends the export with its error
        persistent.exportUser(userId, (ext, resource, key, json, updated, expires) -> {
            ResourceRef r = resource == null ? null : ResourceRef.parseStorageForm(resource);
            Namespace ns = Namespace.user(ExtensionId.parse(ext), userId).forResource(r);
            sink.entry(ext, Tier.PERSISTENT, r, key, atRest.open(ns, key, json), updated, expires);
        });
        ephemeral.exportUser(userId, (ext, resource, key, json, updated, expires) ->
                sink.entry(ext, Tier.EPHEMERAL, null, key, json, updated, expires));
    }

    /** Removes every user-scoped entry of the user on both server tiers, and the user's secrets; the counts. */
    public EraseResult eraseUser(String userId) {
        return new EraseResult(persistent.eraseUser(userId), ephemeral.eraseUser(userId), secrets.eraseUser(userId));
    }
}
