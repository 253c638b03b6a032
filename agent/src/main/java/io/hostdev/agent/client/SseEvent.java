package io.hostdev.agent.client;

/**
 * One dispatched Server-Sent Event.
 *
 * @param id   the last event id when it was dispatched (the stream's cursor); null before any
 * @param type the {@code event:} field, {@code message} when the frame has none
 * @param data the {@code data:} lines joined with {@code \n}
 */
public record SseEvent(String id, String type, String data) {
}
