package dev.extstorage.server;

import dev.extstorage.config.ConfigException;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.config.Settings;

import java.util.Arrays;

/**
 * {@code java -jar extension-storage-server.jar [--port=8080 ...]}: configuration from the environment and flags;
 * {@code ... purge <publisher.name> [--dry-run]} runs {@link PurgeCommand} instead of the server,
 * {@code ... reencrypt [--dry-run]} {@link ReencryptCommand}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(PurgeCommand.NAME)) {
            System.exit(PurgeCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(),
                    System.out, System.err));
            return;
        }
        if (args.length > 0 && args[0].equals(ReencryptCommand.NAME)) {
            System.exit(ReencryptCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(),
                    System.out, System.err));
            return;
        }
        ServerConfig config;
        try {
            config = ServerConfig.from(Settings.of(System.getenv(), args));
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        StorageServer server;
        try {
            server = StorageServer.start(config);
        } catch (RuntimeException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    }
}
