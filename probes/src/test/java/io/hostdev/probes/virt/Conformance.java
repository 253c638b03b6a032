package io.hostdev.probes.virt;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Finds libvirt's conformance data, which lives beside the repository ({@code ../shared/conformance})
 * and is never copied into it. The repository is {@code hostdev.repo} when set, else the nearest
 * directory above the working directory that holds the {@code model} and {@code probes} modules.
 */
final class Conformance {

    private Conformance() {
    }

    /** The conformance directory, or {@code null} when it is not there. */
    static Path root() {
        Path repo = repo();
        if (repo == null) {
            return null;
        }
        Path c = repo.resolve("..").resolve("shared").resolve("conformance").normalize();
        return Files.isDirectory(c) ? c : null;
    }

    /** A directory below the conformance root; the calling test is skipped, saying so, when it is absent. */
    static Path require(String relative) {
        Path root = root();
        Path dir = root == null ? null : root.resolve(relative);
        assumeTrue(dir != null && Files.isDirectory(dir),
                "../shared/conformance/" + relative + " absent: skipped");
        return dir;
    }

    private static Path repo() {
        String configured = System.getProperty("hostdev.repo");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("model")) && Files.isDirectory(d.resolve("probes"))
                    && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        return null;
    }
}
