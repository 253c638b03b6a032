package io.hostdev.probes.virt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A real executable standing in for a QEMU binary: a {@code /bin/sh} script in a temp directory
 * that logs each run (its arguments, one line per run, in {@code NAME.calls}) and then answers
 * QMP, {@code -machine help}, both, neither, or hangs. The tests run it as a real process; nothing
 * about it is simulated inside the JVM.
 */
final class FakeEmulator {

    static final String QMP_SAMPLE = "qmp-x86_64-7.2.txt";
    static final String HELP_SAMPLE = "machine-help-x86_64-7.2.txt";

    private final Path script;
    private final Path calls;

    private FakeEmulator(Path script) {
        this.script = script;
        this.calls = script.resolveSibling(script.getFileName() + ".calls");
    }

    /** Answers QMP with {@code qmpFile} and {@code -machine help} with {@code helpFile}; {@code null} = exit 1 silently. */
    static FakeEmulator answering(Path dir, String name, Path qmpFile, Path helpFile) {
        String body = "case \"$*\" in\n"
                + "  *-qmp*) " + (qmpFile == null ? "echo 'qemu: -qmp: unknown option' >&2; exit 1" : "cat '" + qmpFile + "'") + " ;;\n"
                + "  *help*) " + (helpFile == null ? "echo 'no help' >&2; exit 1" : "cat '" + helpFile + "'") + " ;;\n"
                + "  *) exit 2 ;;\n"
                + "esac\n";
        return write(dir, name, body);
    }

    /** Never answers: starts a child that sleeps (so killing must reach descendants) and waits for it. */
    static FakeEmulator hanging(Path dir, String name) {
        return write(dir, name, "sleep 600 &\necho $! > '" + dir.resolve(name + ".child") + "'\nwait\n");
    }

    private static FakeEmulator write(Path dir, String name, String body) {
        Path script = dir.resolve(name);
        FakeEmulator e = new FakeEmulator(script);
        try {
            Files.createDirectories(dir);
            Files.writeString(script, "#!/bin/sh\necho \"$*\" >> '" + e.calls + "'\n" + body, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return e;
    }

    /** A sample output from the test resources, copied into {@code dir}. */
    static Path sample(Path dir, String name) {
        try (InputStream in = FakeEmulator.class.getResourceAsStream(name)) {
            Path p = dir.resolve(name);
            Files.createDirectories(dir);
            Files.write(p, in.readAllBytes());
            return p;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String sampleText(String name) {
        try (InputStream in = FakeEmulator.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    Path path() {
        return script;
    }

    /** The argument lines of every run so far. */
    List<String> calls() {
        try {
            return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The pid of the child a {@link #hanging} emulator started, once it has. */
    long childPid() {
        try {
            return Long.parseLong(Files.readString(script.resolveSibling(script.getFileName() + ".child")).strip());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
