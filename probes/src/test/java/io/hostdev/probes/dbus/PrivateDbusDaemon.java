package io.hostdev.probes.dbus;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real {@code dbus-daemon} of our own, listening on a {@code unix:path=} socket in a temp dir with
 * a config written here (a session-like bus where anyone may own any name). It can be stopped and
 * started again on the same address. Absent dbus-daemon: the test is skipped, unless
 * {@code HOSTDEV_REQUIRE_DBUS=1} (CI installs it), where it fails. Public for the agent's tests.
 */
public final class PrivateDbusDaemon implements AutoCloseable {

    private final Path executable;
    private final Path config;
    public final Path socket;
    public final String address;
    private Process process;

    private PrivateDbusDaemon(Path executable, Path socket) throws IOException {
        this.executable = executable;
        this.socket = socket;
        this.address = "unix:path=" + socket;
        Files.createDirectories(socket.getParent());
        this.config = socket.resolveSibling(socket.getFileName() + ".conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>session</type>
                  <listen>%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                  </policy>
                </busconfig>
                """.formatted(address));
    }

    /** Starts a daemon listening on {@code socket}, or skips (fails under HOSTDEV_REQUIRE_DBUS=1) without dbus-daemon. */
    public static PrivateDbusDaemon start(Path socket) throws IOException {
        Optional<Path> exe = onPath("dbus-daemon");
        if (exe.isEmpty() && "1".equals(System.getenv("HOSTDEV_REQUIRE_DBUS"))) {
            fail("HOSTDEV_REQUIRE_DBUS=1 but dbus-daemon is not on PATH (Debian package dbus)");
        }
        assumeTrue(exe.isPresent(), "dbus-daemon is not on PATH (Debian package dbus): D-Bus tests skipped");
        PrivateDbusDaemon daemon = new PrivateDbusDaemon(exe.get(), socket);
        daemon.start();
        return daemon;
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts (again) on the same address; returns once the daemon printed it, i.e. listens. */
    public void start() throws IOException {
        process = new ProcessBuilder(executable.toString(), "--config-file=" + config, "--print-address", "--nofork")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String printed = out.readLine();
        if (printed == null || !printed.startsWith(address)) {
            process.destroyForcibly();
            throw new IOException("dbus-daemon did not start on " + address + ": printed " + printed);
        }
    }

    /** SIGTERM, as a service manager stops it; waits for the exit. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        process = null;
    }

    /** SIGKILL: the daemon cannot remove its socket file, which stays behind refusing connections. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
