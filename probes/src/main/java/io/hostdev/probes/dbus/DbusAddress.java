package io.hostdev.probes.dbus;

import io.hostdev.probes.HostRoot;

import java.nio.file.Path;

/**
 * Which bus address the bridge connects to (D-Bus specification, "Server Addresses" and
 * "Well-known Message Bus Instances"): {@code DBUS_SYSTEM_BUS_ADDRESS} when set, as every D-Bus
 * client does; else the configured address; else the system bus socket under the host root.
 */
final class DbusAddress {

    private DbusAddress() {
    }

    static String resolve(String environmentValue, String configured, HostRoot root) {
        if (environmentValue != null && !environmentValue.isBlank()) {
            return environmentValue.strip();
        }
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        // dbus-java does not unescape %xx in address values, so the path goes in as is
        return "unix:path=" + root.run().resolve(DbusConfig.SYSTEM_BUS_SOCKET);
    }

    /**
     * The socket file of a {@code unix:path=} address (the first of a {@code ;}-separated list),
     * or null for any other transport (abstract sockets, tcp), which can only be tried.
     */
    static Path unixPath(String address) {
        if (address == null) {
            return null;
        }
        String first = address.split(";", 2)[0].strip();
        if (!first.startsWith("unix:")) {
            return null;
        }
        for (String kv : first.substring("unix:".length()).split(",")) {
            if (kv.startsWith("path=") && kv.length() > "path=".length()) {
                try {
                    return Path.of(kv.substring("path=".length()));
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
