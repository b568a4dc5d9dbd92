package dev.extstorage.config;

/** Configuration that cannot work; the message names the variable and what it must be. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
