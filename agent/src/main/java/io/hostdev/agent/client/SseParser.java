package io.hostdev.agent.client;

/**
 * Turns the lines of a {@code text/event-stream} into events, as the HTML standard's "Server-sent
 * events" section says a client interprets them: {@code field: value} lines (one optional space
 * after the colon), comment lines starting with {@code :} (the agent's heartbeats), {@code data}
 * lines joined with {@code \n}, and an event dispatched at each blank line when it has data. The id
 * outlives the connection: it is what a reconnection sends as {@code Last-Event-ID}. Never throws.
 */
final class SseParser {

    private String lastEventId;
    private String idBuffer;
    private String type;
    private StringBuilder data;
    private Long retry;
    private boolean first = true;

    /** A parser for a new connection that resumes after {@code lastEventId} (null for none). */
    SseParser(String lastEventId) {
        this.lastEventId = lastEventId;
        this.idBuffer = lastEventId;
    }

    /** One line without its terminator; the event it completes, or null. */
    SseEvent line(String line) {
        if (first) {
            first = false;
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
        }
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.charAt(0) == ':') {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "id" -> {
                // the standard ignores an id with NUL: it could not be sent back in a header
                if (value.indexOf('\0') < 0) {
                    idBuffer = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') && value.length() < 12) {
                    retry = Long.parseLong(value);
                }
            }
            default -> {
                // unknown fields are ignored, so servers can add some
            }
        }
        return null;
    }

    private SseEvent dispatch() {
        lastEventId = idBuffer;
        SseEvent event = null;
        if (data != null) {
            event = new SseEvent(lastEventId, type == null || type.isEmpty() ? "message" : type, data.toString());
        }
        data = null;
        type = null;
        return event;
    }

    /** The id of the last dispatched frame: what to send as {@code Last-Event-ID}. */
    String lastEventId() {
        return lastEventId == null || lastEventId.isEmpty() ? null : lastEventId;
    }

    /** The reconnection delay the server asked for, in milliseconds; null if it did not. */
    Long retry() {
        return retry;
    }
}
