package io.hostdev.model;

import java.util.List;

/** The answer to "which device is NAME-OR-ALIAS?". */
public sealed interface Lookup {

    record Found(Device device) implements Lookup {
    }

    /** Nothing matched; {@code suggestions} are names or aliases that look close. */
    record NotFound(String key, List<String> suggestions) implements Lookup {
        public NotFound {
            suggestions = List.copyOf(suggestions);
        }
    }

    /** An alias shared by several devices (a bridge and its port share a MAC, say). */
    record Ambiguous(String key, List<String> candidates) implements Lookup {
        public Ambiguous {
            candidates = List.copyOf(candidates);
        }
    }
}
