package io.hostdev.probes;

import java.io.File;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a host's file trees are mounted: {@code ROOT/sys}, {@code ROOT/proc}, {@code ROOT/dev},
 * {@code ROOT/run}, {@code ROOT/etc}. The live host is {@code /}; a container with the host
 * mounted at {@code /host} uses {@code /host}; tests use an unpacked fixture. Every path a probe
 * reads is resolved from here, never written literally.
 *
 * <p>Paths shown to users ({@link #hostPath}) are as seen on the host, without the root prefix, so
 * output from a fixture is identical wherever it was unpacked.
 */
public record HostRoot(Path path) {

    public HostRoot {
        path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
    }

    /** The running machine's own root. */
    public static HostRoot live() {
        return new HostRoot(Path.of(File.separator));
    }

    public static HostRoot of(Path path) {
        return new HostRoot(path);
    }

    public Path sys() {
        return path.resolve("sys");
    }

    public Path proc() {
        return path.resolve("proc");
    }

    public Path dev() {
        return path.resolve("dev");
    }

    public Path run() {
        return path.resolve("run");
    }

    public Path etc() {
        return path.resolve("etc");
    }

    /** A path below the root, e.g. {@code usr/share/hwdata/pci.ids}. */
    public Path resolve(String relative) {
        return path.resolve(relative);
    }

    /** The host's view of a path below this root: {@code ROOT/sys/devices/x} → {@code /sys/devices/x}. */
    public String hostPath(Path p) {
        Path rel = path.relativize(p.toAbsolutePath().normalize());
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            sb.append('/').append(part);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** The inverse of {@link #hostPath}: {@code /sys/devices/x} → {@code ROOT/sys/devices/x}. */
    public Path fromHostPath(String hostPath) {
        String rel = hostPath;
        while (rel.startsWith("/")) {
            rel = rel.substring(1);
        }
        return rel.isEmpty() ? path : path.resolve(rel).normalize();
    }

    /** True when {@code p} lies inside this root (after lexical normalization). */
    public boolean contains(Path p) {
        return p.toAbsolutePath().normalize().startsWith(path);
    }
}
