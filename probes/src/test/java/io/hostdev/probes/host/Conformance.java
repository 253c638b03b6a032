package io.hostdev.probes.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libvirt's test data in {@code ../shared/conformance} next to the repository, read in place and
 * never copied into it. Tests that need it are skipped, saying so, where it is absent (a fresh
 * clone). The shared copy stores symbolic links as small files holding the link's target
 * ({@code ../../cpu/cpu0}); {@link #materialize} turns such a tree back into a real one.
 */
final class Conformance {

    private Conformance() {
    }

    /** The repository root: {@code hostdev.repo} when set, else the first ancestor of the working directory holding the parent pom. */
    static Path repository() {
        String configured = System.getProperty("hostdev.repo");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("model"))
                    && Files.isDirectory(p.resolve("probes"))) {
                return p;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    /** A folder of libvirt 11.3.0's source tree, e.g. {@code tests/virhostcpudata}; skips the test when absent. */
    static Path libvirt(String relative) {
        Path repo = repository();
        Path dir = repo.resolveSibling("shared").resolve("conformance").resolve("libvirt").resolve("libvirt-11.3.0")
                .resolve(relative);
        assumeTrue(Files.isDirectory(dir),
                "libvirt conformance data " + dir + " absent (it lives in ../shared/conformance next to the checkout): skipped");
        return dir;
    }

    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies {@code source} (a file or directory) to {@code dest}, turning link stand-ins back
     * into links: a stand-in pointing inside the tree becomes a symbolic link with the same
     * target, one pointing elsewhere in the data (libvirt's trees share parts with each other)
     * becomes a copy of what it points to.
     */
    static void materialize(Path source, Path dest) {
        copy(source, dest, source, 0);
    }

    private static void copy(Path source, Path dest, Path tree, int depth) {
        try {
            if (Files.isDirectory(source)) {
                Files.createDirectories(dest);
                for (Path child : list(source)) {
                    copy(child, dest.resolve(child.getFileName().toString()), tree, depth);
                }
                return;
            }
            String target = linkTarget(source);
            if (target != null) {
                Path resolved = source.getParent().resolve(target).normalize();
                if (resolved.startsWith(tree)) {
                    Files.createDirectories(dest.getParent());
                    Files.createSymbolicLink(dest, Path.of(target));
                } else if (depth < 4) {
                    copy(resolved, dest, resolved, depth + 1);
                }
                return;
            }
            Files.createDirectories(dest.getParent());
            Files.copy(source, dest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The target a stand-in file names, when it is one: a short relative path that exists. */
    private static String linkTarget(Path file) throws IOException {
        if (Files.size(file) > 200) {
            return null;
        }
        String s = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
        if (!s.startsWith("../") || s.chars().anyMatch(Character::isWhitespace)) {
            return null;
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return Files.exists(file.getParent().resolve(s)) ? s : null;
    }
}
