package io.hostdev.agent.http;

/**
 * The HTTP API cannot start as configured: a non-loopback address without TLS and tokens, a token
 * file or TLS material that cannot be read, an address that cannot be bound. The message says what
 * to change; it never contains a token, a password or key material.
 */
public final class HttpSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HttpSetupException(String message) {
        super(message);
    }

    public HttpSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
