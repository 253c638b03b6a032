package io.hostdev.agent.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration as written, before it is checked: mappings, sequences and scalars (every
 * scalar kept as its text, so that {@code 010} or {@code 1e3} is judged by the key that reads it,
 * not by YAML's guess), each with where it came from.
 */
sealed interface ConfigNode permits ConfigNode.Scalar, ConfigNode.Mapping, ConfigNode.Sequence {

    Origin origin();

    /**
     * Where a value was written: {@code agent.yaml line 12}, or a flag such as {@code --listen}.
     * Relative paths are resolved against {@code base}: the file's directory, or the working
     * directory for flags.
     */
    record Origin(String where, Path base) {
        @Override
        public String toString() {
            return where;
        }
    }

    /** A scalar; {@code text} is null for YAML's null ({@code ~}, {@code null} or nothing). */
    record Scalar(String text, Origin origin) implements ConfigNode {
    }

    /** One key of a mapping: where the key itself was written, and its value. */
    record Entry(Origin keyOrigin, ConfigNode value) {
    }

    /** Keys in the order written. */
    record Mapping(Map<String, Entry> entries, Origin origin) implements ConfigNode {
        public Mapping {
            entries = new LinkedHashMap<>(entries);
        }
    }

    record Sequence(List<ConfigNode> items, Origin origin) implements ConfigNode {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    static String kind(ConfigNode n) {
        if (n instanceof Scalar s) {
            return s.text() == null ? "null" : "a value";
        }
        return n instanceof Mapping ? "a mapping" : "a list";
    }
}
