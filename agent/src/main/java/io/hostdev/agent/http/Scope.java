package io.hostdev.agent.http;

import java.util.Locale;
import java.util.Optional;

/** What a bearer token allows: {@code read} every GET, {@code admin} also the POST endpoints. */
public enum Scope {
    READ, ADMIN;

    /** Whether a token of this scope may call an endpoint that needs {@code needed}. */
    public boolean allows(Scope needed) {
        return this == ADMIN || needed == READ;
    }

    /** The scope's name as written in the token file. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Scope> of(String label) {
        for (Scope s : values()) {
            if (s.label().equals(label)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
