package io.hostdev.agent.service;

import io.hostdev.agent.journal.Cursor;

import java.time.Instant;

/**
 * The journal's extent: records retained, bytes on disk, the head, and the time of the oldest
 * retained record (null when empty), for metrics such as the oldest cursor's age.
 */
public record JournalStatus(long records, long bytes, Cursor head, Instant oldest) {
}
