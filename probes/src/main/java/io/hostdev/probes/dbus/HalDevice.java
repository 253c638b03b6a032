package io.hostdev.probes.dbus;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A HAL device: its udi and every property with a typed value — {@code String}, {@code Long} (HAL's
 * int and uint64), {@code Boolean}, {@code Double} or {@code List<String>} (strlist). Properties of
 * any other type are left out.
 */
public record HalDevice(String udi, SortedMap<String, Object> properties) {

    public HalDevice {
        properties = Collections.unmodifiableSortedMap(new TreeMap<>(properties));
    }
}
