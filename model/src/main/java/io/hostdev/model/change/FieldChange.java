package io.hostdev.model.change;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One field of a device that changed: its dotted path in the device JSON ({@code net.link.state},
 * {@code stale}, {@code context.ancestors}) and its JSON values before and after; a value that did
 * not exist on one side is {@code null} there.
 */
public record FieldChange(
        String field,
        // kept when empty: a change from absent to {} or [] must not read back as absent to absent
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode before,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode after) {

    public FieldChange {
        Objects.requireNonNull(field, "field");
    }
}
