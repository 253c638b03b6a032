package io.hostdev.agent.journal;

/** Another journal instance, in this process or another one, has the directory open. */
public final class JournalLockedException extends JournalException {

    public JournalLockedException(String message) {
        super(message);
    }
}
