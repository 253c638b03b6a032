package io.hostdev.model.select;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.NaturalOrder;
import io.hostdev.model.Suggestions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields a selector can name: every dotted path into a device's JSON (as {@link io.hostdev.model.ModelJson}
 * writes it), derived from the model's record classes, plus the two synthesized sets {@code cap} and {@code bus}.
 * A path is compiled once into an accessor chain over the records, so resolving it never builds JSON.
 *
 * <p>What a path gives is exactly what the device's JSON has there, with three documented exceptions: {@code bus}
 * is the set of buses on the device's path to the root (the JSON key {@code bus} is only the device's own bus),
 * {@code cap} is the JSON's {@code caps}, and {@code stale} is {@code false} rather than absent on a device that is
 * not stale. A list anywhere on the path makes the field multi-valued: its values are all the list's values.
 */
public final class Fields {

    /** The open-ended part of the model: a generic capability's raw sysfs attributes by name. */
    public static final String ATTRIBUTES = "generic.attributes";

    /** What a field's values are. */
    public enum Type {
        /** Text; also enums (as their JSON text) and 64-bit addresses ({@code "0xfe000000"}). */
        STRING,
        /** Whole numbers. */
        INTEGER,
        /** Numbers with a fraction (PCIe link speed in GT/s, USB speed in Mbit/s). */
        NUMBER,
        BOOLEAN,
        /** A JSON object or a list of them: only {@code exists(...)} applies. */
        OBJECT;

        /** Lower-case name, as listings print it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One selectable field.
     *
     * @param path        the dotted path; {@code generic.attributes.*} stands for every attribute name
     * @param type        what its values are
     * @param multiValued whether a device can have several values (a list is on the path)
     */
    public record Field(String path, Type type, boolean multiValued) {
    }

    private static final Map<String, Accessor> COMPILED = new ConcurrentHashMap<>();

    private Fields() {
    }

    /** Every field, in path order; {@code generic.attributes.*} stands for the open-ended attribute names. */
    public static List<Field> all() {
        return Schema.INSTANCE.fields();
    }

    /** The field at this path; any {@code generic.attributes.NAME} is a string field. */
    public static Optional<Field> lookup(String path) {
        if (path == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(Schema.INSTANCE.field(path));
    }

    /**
     * The field's values on this device at its place in the tree, in JSON order: strings, booleans, whole
     * numbers as {@code Long}, fractions as {@code Double}, and {@link #OBJECT} for each JSON object. Empty when
     * the device's JSON has nothing at that path.
     *
     * @throws IllegalArgumentException for a path that is no field (see {@link #lookup})
     */
    public static List<Object> values(String path, Device device, DeviceContext context) {
        Accessor accessor = accessor(path);
        if (accessor == null) {
            throw new IllegalArgumentException("no such field: " + path);
        }
        List<Object> out = new ArrayList<>();
        accessor.any(device, context, v -> {
            out.add(v instanceof Integer i ? Long.valueOf(i) : v);
            return false;
        });
        return out;
    }

    /** Stands for a JSON object in {@link #values}: the object is there, its content is other fields. */
    public static final Object OBJECT = new Object() {
        @Override
        public String toString() {
            return "{object}";
        }
    };

    /**
     * Close matches for a path that is no field: known paths within a small edit distance, and known paths
     * that end with it ({@code vendor.id} → {@code pci.vendor.id}, {@code usb_device.vendor.id}); at most five.
     */
    public static List<String> suggestions(String unknown) {
        String u = unknown.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, Math.min(4, u.length() / 4));
        TreeMap<Integer, TreeSet<String>> byDistance = new TreeMap<>();
        for (Field f : all()) {
            String p = f.path();
            int d;
            if (p.endsWith("." + u)) {
                d = 0;
            } else {
                d = Suggestions.editDistance(u, p, limit + 1);
            }
            if (d <= limit) {
                byDistance.computeIfAbsent(d, k -> new TreeSet<>(NaturalOrder.INSTANCE)).add(p);
            }
        }
        List<String> out = new ArrayList<>();
        for (TreeSet<String> s : byDistance.values()) {
            for (String p : s) {
                if (out.size() < 5) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The compiled accessor for a path, or null when the path is no field. */
    static Accessor accessor(String path) {
        if (path == null) {
            return null;
        }
        Accessor a = COMPILED.get(path);
        if (a == null) {
            a = Schema.INSTANCE.compile(path);
            if (a == null) {
                return null;
            }
            // bounded: attribute names are open-ended and come from untrusted selectors
            if (COMPILED.size() < 4096) {
                COMPILED.put(path, a);
            }
        }
        return a;
    }
}
