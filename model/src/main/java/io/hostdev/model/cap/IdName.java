package io.hostdev.model.cap;

import java.util.Objects;

/**
 * A numeric identifier as the kernel prints it ({@code 0x8086}) and, when a name database
 * knows it, its name. Ids are lower-case hex with a {@code 0x} prefix.
 */
public record IdName(String id, String name) {

    public IdName {
        Objects.requireNonNull(id, "id");
    }

    public static IdName of(String id) {
        return new IdName(id, null);
    }
}
