package io.hostdev.probes.dbus;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** HAL's devices by udi. */
public record HalSnapshot(SortedMap<String, HalDevice> devices) {

    public static final HalSnapshot EMPTY = new HalSnapshot(new TreeMap<>());

    public HalSnapshot {
        devices = Collections.unmodifiableSortedMap(new TreeMap<>(devices));
    }
}
