package io.hostdev.agent.journal;

import java.util.Locale;

/**
 * When the journal asks the kernel to put appended bytes on stable storage ({@code fdatasync}).
 * A process crash ({@code kill -9}) never loses a completed append under any policy: the bytes
 * are in the kernel's page cache. The policies differ on power loss and kernel crashes; see
 * docs/journal.md for the guarantees of each.
 */
public enum FsyncPolicy {
    /**
     * After every append batch, before {@link Journal#append} returns and before readers see the
     * batch. The default: the agent appends once per probe cycle, so this costs one sync per cycle.
     */
    ALWAYS,
    /** A background thread syncs every {@link JournalConfig#fsyncInterval()}, and on close. */
    INTERVAL,
    /** Never: the kernel writes dirty pages back on its own schedule (tmpfs, tests, throwaway hosts). */
    NEVER;

    /** The setting's spelling in configuration: {@code always}, {@code interval}, {@code never}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #configName()}; anything else is an {@link IllegalArgumentException} naming the choices. */
    public static FsyncPolicy parse(String text) {
        for (FsyncPolicy p : values()) {
            if (p.configName().equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("fsync policy must be always, interval or never, not '" + text + "'");
    }
}
