package io.hostdev.model.cap;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Any device without a typed capability: its subsystem and its readable attributes, raw
 * (leniently decoded, trimmed, size-capped).
 */
public record GenericCapability(String subsystem, SortedMap<String, String> attributes) implements Capability {

    public static final String TYPE = "generic";

    public GenericCapability {
        attributes = attributes == null
                ? java.util.Collections.emptySortedMap()
                : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }

    public static GenericCapability of(String subsystem, Map<String, String> attributes) {
        return new GenericCapability(subsystem, new TreeMap<>(attributes));
    }

    @Override
    public String type() {
        return TYPE;
    }
}
