package io.hostdev.probes;

import java.nio.file.Path;

/** One file-system access a probe made: what {@code hostdev capture} archives and the benchmark replays. */
public record Access(Kind kind, Path path) {

    public enum Kind {
        /** read a regular file's content (an attribute, capped) */
        READ,
        /** streamed a whole file (a name database) */
        OPEN,
        /** read a symbolic link's target */
        READLINK,
        /** listed a directory */
        LIST,
        /** asked whether something exists and what it is */
        STAT,
        /** resolved a path to its canonical form, following every link */
        REALPATH
    }
}
