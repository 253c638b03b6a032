package io.hostdev.agent.journal;

import java.nio.file.Path;
import java.util.List;

/**
 * What opening the journal found and did.
 *
 * @param newEpoch         the directory held no usable journal, so a new epoch began
 * @param truncatedBytes   bytes cut from the end of the newest segment (a torn or unfinished
 *                         batch) plus the size of newest segments removed because their header
 *                         was torn (a crash while rolling over)
 * @param truncatedRecords complete records among the truncated bytes: the start of a batch whose
 *                         append never returned
 * @param damage           damage anywhere else; the records before each one can no longer be
 *                         read, and cursors pointing there answer {@link ReadResult.Reason#DAMAGED}
 */
public record Recovery(boolean newEpoch, long truncatedBytes, int truncatedRecords, List<Damage> damage) {

    public Recovery {
        damage = List.copyOf(damage);
    }

    /** One problem found: the file, the byte offset of the damaged line (0 for a whole file) and what is wrong. */
    public record Damage(Path file, long offset, String problem) {

        @Override
        public String toString() {
            return file + " at offset " + offset + ": " + problem;
        }
    }

    /** Nothing was truncated and nothing is damaged. */
    public boolean clean() {
        return truncatedBytes == 0 && damage.isEmpty();
    }
}
