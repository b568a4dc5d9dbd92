package dev.extstorage.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Raw configuration values: environment variables, overridden by command-line flags. A flag
 * {@code --db-url=x} or {@code --db-url x} sets {@code EXT_STORAGE_DB_URL}, so every setting has one name
 * and the two sources cannot disagree on spelling.
 */
public final class Settings {
    public static final String PREFIX = "EXT_STORAGE_";

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    public static Settings of(Map<String, String> env, String... args) {
        Map<String, String> values = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                values.put(k, v);
            }
        });
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("Unknown argument '" + arg + "': flags look like --port=8080");
            }
            String flag = arg.substring(2);
            String value;
            int eq = flag.indexOf('=');
            if (eq >= 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "true";
            }
            values.put(variableOf(flag), value);
        }
        return new Settings(values);
    }

    /** {@code db-url} -> {@code EXT_STORAGE_DB_URL} */
    public static String variableOf(String flag) {
        return PREFIX + flag.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The value, or {@code null} when unset or blank. */
    public String get(String variable) {
        String v = values.get(variable);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public String get(String variable, String fallback) {
        String v = get(variable);
        return v == null ? fallback : v;
    }

    public long getLong(String variable, long fallback, long min, long max) {
        String v = get(variable);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new ConfigException(variable + " must be between " + min + " and " + max + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(variable + " must be a whole number, got '" + v + "'");
        }
    }

    public boolean getBoolean(String variable, boolean fallback) {
        String v = get(variable);
        if (v == null) {
            return fallback;
        }
        if (v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes")) {
            return true;
        }
        if (v.equalsIgnoreCase("false") || v.equals("0") || v.equalsIgnoreCase("no")) {
            return false;
        }
        throw new ConfigException(variable + " must be true or false, got '" + v + "'");
    }
}
