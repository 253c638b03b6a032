package io.hostdev.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.model.change.ChangeEvent;

import java.util.List;

/**
 * {@code GET /v1/changes}: the events of the page in the subscriber's view, the cursor to continue
 * from ({@code next}), the journal's head, and whether more events already follow; {@code document}
 * is the page as the agent sent it.
 */
public record ChangesPage(List<Entry> events, String next, String head, boolean more, JsonNode document) {

    public ChangesPage {
        events = List.copyOf(events);
    }

    /** One event: its cursor, when it was appended (as the agent wrote it; null if it did not), the event. */
    public record Entry(String cursor, JsonNode time, ChangeEvent event) {
    }
}
