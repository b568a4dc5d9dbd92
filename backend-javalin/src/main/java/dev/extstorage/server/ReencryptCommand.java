package dev.extstorage.server;

import dev.extstorage.api.Reencryption;
import dev.extstorage.config.ConfigException;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.store.PersistentStore;
import dev.extstorage.store.Stores;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar <server jar> reencrypt [--dry-run] [--batch=500] [--name=value ...]}: seals every encrypted
 * persistent row (values written with {@code encrypt}, and server-only secrets) that another key sealed with the
 * key ring's current key ({@link Reencryption}), with the server's own configuration, and prints the counts;
 * {@code --dry-run} prints what it would do and changes nothing. Running servers need not stop: a row written
 * meanwhile keeps its write (and is counted as skipped). After a run that reports nothing unreadable, the old
 * keys can leave {@code EXT_STORAGE_ENCRYPTION_KEYS}.
 */
final class ReencryptCommand {
    static final String NAME = "reencrypt";
    private static final String DRY_RUN = "--dry-run";
    private static final String BATCH = "--batch=";

    private ReencryptCommand() {
    }

    /**
     * @param args the arguments after {@code reencrypt}
     * @return the exit status: 0 done, 1 a store failed or some rows do not open, 2 bad arguments or
     *         configuration (also: no {@code EXT_STORAGE_ENCRYPTION_KEYS})
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        boolean dryRun = false;
        int batch = Reencryption.DEFAULT_BATCH;
        List<String> flags = new ArrayList<>();
        try {
            for (String arg : args) {
                if (arg.equals(DRY_RUN)) {
                    dryRun = true;
                } else if (arg.startsWith(BATCH)) {
                    batch = Integer.parseInt(arg.substring(BATCH.length()));
                    if (batch < 1 || batch > 10_000) {
                        throw new NumberFormatException();
                    }
                } else {
                    flags.add(arg);
                }
            }
        } catch (NumberFormatException e) {
            err.println("Usage: java -jar extension-storage-server.jar reencrypt [--dry-run] [--batch=1-10000]"
                    + " [--name=value ...]");
            return 2;
        }
        ServerConfig config;
        try {
            config = CommandConfig.load(env, flags);
        } catch (ConfigException e) {
            err.println("Configuration error: " + e.getMessage());
            return 2;
        }
        if (config.encryptionKeys() == null) {
            err.println("No " + ServerConfig.ENCRYPTION_KEYS + " configured: nothing to re-encrypt with");
            return 2;
        }
        try (PersistentStore persistent = Stores.openPersistent(config.dbUrl(), config.dbPoolSize())) {
            long start = System.nanoTime();
            Reencryption.Result r = new Reencryption(persistent, config.encryptionKeys()).run(dryRun, batch);
            long ms = (System.nanoTime() - start) / 1_000_000;
            out.println((dryRun ? "Dry run, nothing changed. " : "") + "Key '" + r.keyId() + "' ("
                    + persistent.engine() + "): entries " + line(r.entries(), dryRun) + "; secrets "
                    + line(r.secrets(), dryRun) + (dryRun ? "" : "; in " + ms + " ms"));
            if (r.unreadable() > 0) {
                err.println(r.unreadable() + " rows do not open with the configured keys (moved, altered, or"
                        + " sealed with a key no longer configured): they were left as they are");
                return 1;
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("Re-encryption failed: " + e.getMessage());
            return 1;
        }
    }

    private static String line(Reencryption.Counts c, boolean dryRun) {
        return c.checked() + " with another key, " + c.reencrypted() + (dryRun ? " would be" : "")
                + " re-encrypted, " + c.skipped() + " skipped (changed meanwhile), " + c.unreadable() + " unreadable";
    }
}
