package io.hostdev.agent.config;

import java.util.List;

/**
 * The D-Bus bridge ({@code dbus.*}; docs/dbus.md, "In the agent").
 *
 * @param enabled whether the agent reads D-Bus at all
 * @param address the bus address ({@code unix:path=...}); null: {@code DBUS_SYSTEM_BUS_ADDRESS}, else the
 *                system bus socket under the host root. A configured address wins over the environment
 * @param sources the sources read ({@code dbus.udisks2}, {@code dbus.systemd}, {@code dbus.hal}), sorted
 */
public record DbusSettings(boolean enabled, String address, List<String> sources) {

    public DbusSettings {
        sources = List.copyOf(new java.util.TreeSet<>(sources));
    }
}
