package io.hostdev.tests.golden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.fail;

/**
 * Golden files: compared byte for byte, or rewritten when the build runs with
 * {@code -Dhostdev.golden.update=true} (tests/pom.xml passes the property to the tests).
 */
public final class Golden {

    public static final String UPDATE_PROPERTY = "hostdev.golden.update";

    private Golden() {
    }

    public static boolean updating() {
        return "true".equals(System.getProperty(UPDATE_PROPERTY));
    }

    /** The repository root: {@code hostdev.repo} as set by tests/pom.xml, else the module's parent. */
    public static Path repository() {
        String configured = System.getProperty("hostdev.repo");
        Path root = configured != null && !configured.isBlank() && !configured.contains("${")
                ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
        return root.toAbsolutePath().normalize();
    }

    public static Path resources() {
        return repository().resolve("tests/src/test/resources");
    }

    /** Fails with a short line diff unless {@code actual} equals the golden file (or rewrites it). */
    public static void check(Path golden, String actual) throws IOException {
        Path shown = repository().relativize(golden);
        if (updating()) {
            if (!Files.exists(golden) || !Files.readString(golden, StandardCharsets.UTF_8).equals(actual)) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
                System.err.println("golden: rewrote " + shown);
            }
            return;
        }
        if (!Files.exists(golden)) {
            fail("no golden file " + shown + "; create it with: mvn -B -pl tests -am verify -D" + UPDATE_PROPERTY
                    + "=true");
        }
        String expected = Files.readString(golden, StandardCharsets.UTF_8);
        String diff = LineDiff.describe(expected, actual);
        if (diff != null) {
            fail("output differs from " + shown + " (- golden, + actual): " + diff
                    + "\nif the change is intended, rewrite the golden files: mvn -B -pl tests -am verify -D"
                    + UPDATE_PROPERTY + "=true, and review the diff");
        }
    }
}
