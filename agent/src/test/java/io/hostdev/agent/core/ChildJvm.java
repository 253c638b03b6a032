package io.hostdev.agent.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.hostdev.agent.core.NetHost.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM on the test class path (the agent, a CLI command) with its output read line by line as
 * it comes. Tests keep their children and destroy them after each test.
 */
final class ChildJvm {

    static final Duration WAIT = Duration.ofSeconds(60);

    final Process process;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    /** Starts {@code mainAndArgs} (a main class, then its arguments), stdout and stderr merged. */
    ChildJvm(List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx96m",
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(mainAndArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output lost: " + e + ")");
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** Copies of the lines so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits for a line starting with {@code prefix} and returns it. */
    String awaitLine(String prefix) {
        return awaitLine(prefix, l -> l.startsWith(prefix));
    }

    /** Waits for a line {@code what} describes, and returns the first such. */
    String awaitLine(String what, Predicate<String> line) {
        return awaitLine(what, line, WAIT);
    }

    /** Waits at most {@code max} for a line {@code what} describes, and returns the first such. */
    String awaitLine(String what, Predicate<String> line, Duration max) {
        try {
            await(max, "a line '" + what + "' from the child " + process.pid(),
                    () -> lines().stream().anyMatch(line));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; alive: " + process.isAlive() + "; it said " + lines()
                    + "; its threads: " + threads(), e);
        }
        return lines().stream().filter(line).findFirst().orElseThrow();
    }

    /** The child's thread dump, to see where it waits. */
    String threads() {
        try {
            Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    Long.toString(process.pid())).redirectErrorStream(true).start();
            String out = new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jstack.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    /** SIGTERM through the process handle: {@link Process#destroy} would also close our end of its output. */
    void terminate() {
        process.toHandle().destroy();
    }

    /** SIGKILL. */
    void kill() {
        process.toHandle().destroyForcibly();
    }

    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the child exits; it said %s", lines())
                .isTrue();
        return process.exitValue();
    }
}
