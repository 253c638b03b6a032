package io.hostdev.probes.dbus;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What UDisks2 knows: block devices by device node (the key the core merges on) and drives by
 * object path (a drive without a block device — rare — is still listed here).
 */
public record UdisksSnapshot(SortedMap<String, UdisksBlock> blocks, SortedMap<String, UdisksDrive> drives) {

    public static final UdisksSnapshot EMPTY = new UdisksSnapshot(new TreeMap<>(), new TreeMap<>());

    public UdisksSnapshot {
        blocks = Collections.unmodifiableSortedMap(new TreeMap<>(blocks));
        drives = Collections.unmodifiableSortedMap(new TreeMap<>(drives));
    }
}
