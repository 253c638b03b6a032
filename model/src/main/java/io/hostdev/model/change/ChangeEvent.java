package io.hostdev.model.change;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One change between two device trees.
 * <ul>
 *   <li>{@code added}: {@code after} is the new device, {@code before} is null;</li>
 *   <li>{@code removed}: {@code before} is the device as last seen, {@code after} is null;</li>
 *   <li>{@code updated}: both, and {@code changes} lists every field that differs.</li>
 * </ul>
 * A rename (an interface moved from eth0 to ens3) is a removal and an addition: names are
 * identities.
 */
public record ChangeEvent(Kind kind, String name, DeviceState before, DeviceState after, List<FieldChange> changes) {

    public ChangeEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        changes = changes == null ? List.of() : List.copyOf(changes);
        switch (kind) {
            case ADDED -> require(before == null && after != null, "an addition has only an after state");
            case REMOVED -> require(before != null && after == null, "a removal has only a before state");
            case UPDATED -> require(before != null && after != null, "an update has both states");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static ChangeEvent added(DeviceState after) {
        return new ChangeEvent(Kind.ADDED, after.device().name(), null, after, List.of());
    }

    public static ChangeEvent removed(DeviceState before) {
        return new ChangeEvent(Kind.REMOVED, before.device().name(), before, null, List.of());
    }

    public static ChangeEvent updated(DeviceState before, DeviceState after, List<FieldChange> changes) {
        return new ChangeEvent(Kind.UPDATED, after.device().name(), before, after, changes);
    }

    public enum Kind {
        ADDED, REMOVED, UPDATED;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
