package io.hostdev.agent.client;

/**
 * The client could not get an answer: a bad URL or CA file, an unreadable token file, an agent that
 * cannot be reached. The message is one line for the user and never contains the token.
 */
public final class ClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClientException(String message) {
        super(message);
    }

    public ClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
