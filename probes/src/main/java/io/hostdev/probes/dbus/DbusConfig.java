package io.hostdev.probes.dbus;

import io.hostdev.probes.HostRoot;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Settings of the D-Bus bridge.
 *
 * @param root           the host root; the system bus socket is {@code run()/}{@value #SYSTEM_BUS_SOCKET} under it
 * @param address        a configured bus address ({@code unix:path=...}), or null for the system bus
 * @param sources        the source ids to read ({@link #ALL_SOURCES} by default)
 * @param backoffInitial the first reconnect delay after the bus went away; doubled per failed try
 * @param backoffMax     the cap of the reconnect delay
 * @param openTimeout    how long {@link DbusBridge#open} waits for the first connection and read
 * @param settle         how long signals are gathered before one re-read (a burst is one read)
 * @param environment    the process environment ({@code System::getenv}); tests pass their own
 */
public record DbusConfig(
        HostRoot root,
        String address,
        Set<String> sources,
        Duration backoffInitial,
        Duration backoffMax,
        Duration openTimeout,
        Duration settle,
        UnaryOperator<String> environment) {

    /** Where the system bus listens, relative to the host's {@code /run} (D-Bus specification, "Well-known Message Bus Instances"). */
    public static final String SYSTEM_BUS_SOCKET = "dbus/system_bus_socket";
    /** The variable every D-Bus client reads for the system bus address. */
    public static final String SYSTEM_BUS_ENV = "DBUS_SYSTEM_BUS_ADDRESS";
    public static final Set<String> ALL_SOURCES = Set.of(UdisksSource.ID, SystemdSource.ID, HalSource.ID);
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SETTLE = Duration.ofMillis(20);

    public DbusConfig {
        Objects.requireNonNull(root, "root");
        sources = Set.copyOf(new TreeSet<>(Objects.requireNonNull(sources, "sources")));
        Objects.requireNonNull(backoffInitial, "backoffInitial");
        Objects.requireNonNull(backoffMax, "backoffMax");
        Objects.requireNonNull(openTimeout, "openTimeout");
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(environment, "environment");
        if (backoffInitial.isNegative() || backoffInitial.isZero() || backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoff: 0 < initial <= max, got " + backoffInitial + ", " + backoffMax);
        }
    }

    /** The system bus of the host at {@code root}, every source, the default timings. */
    public static DbusConfig defaults(HostRoot root) {
        return new DbusConfig(root, null, ALL_SOURCES, DEFAULT_BACKOFF_INITIAL, DEFAULT_BACKOFF_MAX,
                DEFAULT_OPEN_TIMEOUT, DEFAULT_SETTLE, System::getenv);
    }

    public DbusConfig withAddress(String newAddress) {
        return new DbusConfig(root, newAddress, sources, backoffInitial, backoffMax, openTimeout, settle, environment);
    }

    public DbusConfig withSources(Set<String> newSources) {
        return new DbusConfig(root, address, newSources, backoffInitial, backoffMax, openTimeout, settle, environment);
    }

    public DbusConfig withBackoff(Duration initial, Duration max) {
        return new DbusConfig(root, address, sources, initial, max, openTimeout, settle, environment);
    }

    public DbusConfig withEnvironment(UnaryOperator<String> newEnvironment) {
        return new DbusConfig(root, address, sources, backoffInitial, backoffMax, openTimeout, settle, newEnvironment);
    }

    public DbusConfig withOpenTimeout(Duration newOpenTimeout) {
        return new DbusConfig(root, address, sources, backoffInitial, backoffMax, newOpenTimeout, settle, environment);
    }
}
