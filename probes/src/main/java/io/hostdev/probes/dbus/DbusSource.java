package io.hostdev.probes.dbus;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;

import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * One D-Bus service the bridge reads: a stable id, the well-known bus name whose presence decides
 * whether the source is there, a full read, the signals that say it changed, and its records by the
 * key the core merges on (device node, sysfs path, udi).
 *
 * @param <T> the source's records
 */
interface DbusSource<T> {

    String id();

    String busName();

    T empty();

    /** The I/O: every call this source needs, on the bridge's thread. */
    T read(DBusConnection connection) throws DBusException;

    /**
     * A re-read after signals that named {@code hints}; a source whose full read is costly re-reads
     * only what they name.
     */
    default T refresh(DBusConnection connection, T previous, Set<String> hints) throws DBusException {
        return read(connection);
    }

    /**
     * Adds this source's signal handlers; each calls {@code onSignal} with what the signal named
     * (an object path, a unit, a udi: a hint for logs, never trusted as a key).
     */
    List<AutoCloseable> subscribe(DBusConnection connection, Consumer<String> onSignal) throws DBusException;

    /** Records by merge key; two reads are diffed on this to tell which keys changed. */
    SortedMap<String, Object> keyed(T records);
}
