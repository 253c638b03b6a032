package io.hostdev.agent.http;

/**
 * Server-Sent Events framing (the WHATWG HTML standard, section 9.2 "Server-sent events"): a frame
 * is {@code field: value} lines ended by an empty line; a value with line breaks becomes several
 * {@code data:} lines, which the client joins with {@code \n}; a line starting with {@code :} is a
 * comment the client ignores (our heartbeat).
 */
final class Sse {

    static final String MEDIA_TYPE = "text/event-stream";

    private Sse() {
    }

    /** One event: {@code id} (may be null), {@code event} type, {@code data} (split at line breaks). */
    static void frame(StringBuilder out, String id, String event, String data) {
        if (id != null) {
            out.append("id: ").append(oneLine(id)).append('\n');
        }
        out.append("event: ").append(oneLine(event)).append('\n');
        // CR, LF and CRLF all end a line in an event stream
        for (String line : data.split("\r\n|\r|\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        out.append('\n');
    }

    static String frame(String id, String event, String data) {
        StringBuilder sb = new StringBuilder();
        frame(sb, id, event, data);
        return sb.toString();
    }

    /** A comment frame: ignored by clients, keeps proxies and idle timeouts from closing the stream. */
    static String comment(String text) {
        return ": " + oneLine(text) + "\n\n";
    }

    /** A field value cannot carry a line break: it would end the field (and could forge another). */
    private static String oneLine(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
