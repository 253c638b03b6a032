package io.hostdev.agent.journal;

/**
 * A cursor string that this journal never handed out: wrong length, not base64url, an unknown
 * version or a failed check (a typo, a truncated copy). A client error, distinct from a well-formed
 * cursor that can no longer be served, which is a {@link ReadResult.Resync}.
 */
public final class MalformedCursorException extends IllegalArgumentException {

    public MalformedCursorException(String message) {
        super(message);
    }
}
