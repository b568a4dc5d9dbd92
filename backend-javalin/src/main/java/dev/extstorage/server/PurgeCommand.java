package dev.extstorage.server;

import dev.extstorage.api.PurgeResult;
import dev.extstorage.api.StorageAdmin;
import dev.extstorage.config.ConfigException;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.StorageException;
import dev.extstorage.registry.ExtensionRegistry;
import dev.extstorage.store.EphemeralStore;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Stores;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar <server jar> purge <publisher.name> [--dry-run] [--name=value ...]}: removes every server entry
 * (and server-only secret) of one extension, installed or not, with the server's own configuration (environment and flags, as the server
 * reads them), and prints the counts; {@code --dry-run} prints what it would remove. It opens the configured
 * database and Redis itself, so a running server need not be stopped. The in-process cache of a running server
 * lives in that process only: without Redis, its ephemeral entries can be purged only through the REST route
 * ({@code DELETE /api/v1/admin/extensions/{publisher}/{name}/storage}), or expire by their TTL.
 */
final class PurgeCommand {
    static final String NAME = "purge";
    private static final String DRY_RUN = "--dry-run";

    private PurgeCommand() {
    }

    /**
     * @param args the arguments after {@code purge}
     * @return the exit status: 0 done, 1 a store failed, 2 bad arguments or configuration
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        boolean dryRun = false;
        String id = null;
        List<String> flags = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals(DRY_RUN)) {
                dryRun = true;
            } else if (!arg.startsWith("--") && id == null) {
                id = arg;
            } else {
                flags.add(arg);
            }
        }
        if (id == null) {
            err.println("Usage: java -jar extension-storage-server.jar purge <publisher.name> [--dry-run] [--name=value ...]");
            return 2;
        }
        ExtensionId extension;
        ServerConfig config;
        try {
            extension = ExtensionId.parse(id);
            config = CommandConfig.load(env, flags);
        } catch (StorageException e) {
            err.println("Not an extension id (publisher.name): " + id);
            return 2;
        } catch (ConfigException e) {
            err.println("Configuration error: " + e.getMessage());
            return 2;
        }
        try (EphemeralStore ephemeral = Stores.openEphemeral(config.redisUrl(), config.redisKeyPrefix(),
                config.cacheMaxBytes(), config.redisPoolSize());
             PersistentStore persistent = Stores.openPersistent(config.dbUrl(), config.dbPoolSize())) {
            StorageAdmin admin = StorageAdmin.of(ExtensionRegistry.of(List.of()), persistent, ephemeral,
                    config.quotas());
            long start = System.nanoTime();
            PurgeResult r = admin.purge(extension, dryRun);
            long ms = (System.nanoTime() - start) / 1_000_000;
            out.println((dryRun ? "Would remove " : "Removed ") + r.entries() + " entries of " + r.extension()
                    + ": persistent " + r.persistentEntries() + " (" + persistent.engine() + "), ephemeral "
                    + r.ephemeralEntries() + " (" + ephemeral.engine() + "), and " + r.secrets() + " secrets"
                    + (dryRun ? "" : ", in " + ms + " ms"));
            if (config.redisUrl() == null || config.redisUrl().isBlank()) {
                out.println("Note: no Redis is configured; a running server's in-process cache is not reachable"
                        + " from here (use DELETE /api/v1/admin/extensions/{publisher}/{name}/storage)");
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("Purge failed: " + e.getMessage());
            return 1;
        }
    }
}
