package io.hostdev.probes.dbus;

/** Where a D-Bus source stands. */
public enum DbusSourceState {
    /** Its service is on the bus and was read. */
    PRESENT,
    /** The bus is there, the service is not: no records. */
    ABSENT,
    /** No bus has been reached yet (no socket, refused): no records. */
    NO_BUS,
    /** The bus went away after a read: the last records are kept until it is back. */
    STALE
}
