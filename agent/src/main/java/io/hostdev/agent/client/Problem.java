package io.hostdev.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.model.ModelJson;

import java.util.ArrayList;
import java.util.List;

/**
 * An error answer (RFC 9457 {@code application/problem+json}) with the members the contract adds:
 * {@code column} (selector errors), {@code suggestions} (404), {@code candidates} (409),
 * {@code reason}, {@code head} and {@code resync} (410). Absent members are null or empty.
 */
public record Problem(String type, String title, int status, String detail, Integer column,
                      List<String> suggestions, List<String> candidates, String reason, String head,
                      String resync) {

    public Problem {
        suggestions = suggestions == null ? List.of() : List.copyOf(suggestions);
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    /** The longest a message taken from a body that is not a problem document may be. */
    private static final int MAX_TEXT = 200;

    /**
     * The problem an error answer carries. A body that is not a problem document (a proxy's HTML page)
     * still gives a problem: its status, and its first line as the detail.
     */
    static Problem parse(int status, String body) {
        JsonNode node = null;
        try {
            node = ModelJson.reader().readTree(body == null ? "" : body);
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: below
        }
        if (node == null || !node.isObject()) {
            return new Problem(null, null, status, firstLine(body), null, null, null, null, null, null);
        }
        JsonNode column = node.get("column");
        JsonNode statusNode = node.get("status");
        return new Problem(text(node, "type"), text(node, "title"),
                statusNode != null && statusNode.canConvertToInt() ? statusNode.asInt() : status,
                text(node, "detail"), column != null && column.canConvertToInt() ? column.asInt() : null,
                strings(node.get("suggestions")), strings(node.get("candidates")), text(node, "reason"),
                text(node, "head"), text(node, "resync"));
    }

    /** Detail, else title, else the status: one line for a terminal. */
    public String oneLine() {
        String s = detail != null && !detail.isBlank() ? detail
                : title != null && !title.isBlank() ? title
                : "the agent answered HTTP " + status;
        return s.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static String firstLine(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String line = body.strip().split("\r?\n", 2)[0].strip();
        return line.length() > MAX_TEXT ? line.substring(0, MAX_TEXT) + "..." : line;
    }
}
