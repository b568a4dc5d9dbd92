package dev.extstorage.server;

import dev.extstorage.config.ConfigException;
import dev.extstorage.config.ServerConfig;
import dev.extstorage.config.Settings;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The configuration of a command-line command ({@code purge}, {@code reencrypt}): the server's own. */
final class CommandConfig {
    private CommandConfig() {
    }

    /**
     * The server's configuration from the environment and {@code --name=value} flags, as the server reads them.
     *
     * @throws ConfigException as the server's start would
     */
    static ServerConfig load(Map<String, String> env, List<String> flags) {
        Map<String, String> settings = new HashMap<>(env);
        // commands verify no token: a secret is not needed, but the server's configuration asks for one
        settings.putIfAbsent(ServerConfig.JWT_SECRET, "not-used-by-commands");
        return ServerConfig.from(Settings.of(settings, flags.toArray(new String[0])));
    }
}
