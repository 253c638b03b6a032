package io.hostdev.agent.config;

/**
 * The configuration cannot be used. The message names where the bad value came from (the file and
 * line, or the command-line flag), the key as a dotted path, and what is wrong, in one line.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
