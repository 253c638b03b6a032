package io.hostdev.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hostdev.agent.journal.ReadResult;
import io.hostdev.model.ModelJson;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The JSON the API writes: the model's conventions ({@link ModelJson}), indented for documents, one line for SSE. */
final class ApiJson {

    private static final ObjectWriter COMPACT = ModelJson.configure(JsonMapper.builder()).build().writer();

    private ApiJson() {
    }

    /** Indented, ending with a newline: what {@code hostdev list --output json} prints. */
    static String document(Object value) {
        return ModelJson.toJson(value);
    }

    /** One line, no line end: an SSE {@code data:} value. */
    static String line(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The answer to a cursor the journal cannot serve: 410, why ({@code expired}, {@code other_epoch},
     * {@code ahead}, {@code damaged}, {@code changed}), the head to continue from after re-listing, and
     * the URL that re-lists what the selector selects.
     */
    static Problem resync(ReadResult.Resync<?> r, String selector) {
        return Problem.of("resync", "Resync needed", 410, r.message() + "; list the devices again and continue from"
                        + " the head")
                .with("reason", r.reason().name().toLowerCase(Locale.ROOT))
                .with("head", r.head().encoded())
                .with("resync", relist(selector));
    }

    /** {@code /v1/devices}, with the selector as its query when there is one. */
    static String relist(String selector) {
        return selector == null ? "/v1/devices"
                : "/v1/devices?selector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
