package io.hostdev.probes;

import java.nio.file.Path;

/** A probe that could not produce a result at all; names the probe, the path and the cause. */
public class ProbeException extends Exception {

    private final String probeId;
    private final Path path;

    public ProbeException(String probeId, Path path, String message, Throwable cause) {
        super(probeId + ": " + message + (path == null ? "" : " (" + path + ")"), cause);
        this.probeId = probeId;
        this.path = path;
    }

    public String probeId() {
        return probeId;
    }

    public Path path() {
        return path;
    }
}
