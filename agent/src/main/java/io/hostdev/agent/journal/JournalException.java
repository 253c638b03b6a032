package io.hostdev.agent.journal;

/**
 * The journal cannot do what was asked: its directory cannot be read or written, a format it does
 * not know, a failed write or sync (after which appends are refused until it is reopened), a record
 * that changed on disk after it was written. The message names the file involved.
 */
public class JournalException extends RuntimeException {

    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
