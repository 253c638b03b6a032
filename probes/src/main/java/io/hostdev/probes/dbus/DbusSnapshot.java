package io.hostdev.probes.dbus;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** The bridge's records of each source and each source's state (enabled sources only). */
public record DbusSnapshot(
        SortedMap<String, DbusSourceState> states,
        UdisksSnapshot udisks2,
        SystemdSnapshot systemd,
        HalSnapshot hal) {

    public DbusSnapshot {
        states = Collections.unmodifiableSortedMap(new TreeMap<>(states));
    }
}
