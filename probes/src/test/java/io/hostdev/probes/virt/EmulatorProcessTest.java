package io.hostdev.probes.virt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Bounded runs of real processes ({@code /bin/sh} scripts): the bounds checked here are limits
 * against hanging (generous, with assertTimeoutPreemptively), not performance assertions.
 */
class EmulatorProcessTest {

    /** Far above any timeout used here: reaching it means the run did not stop. */
    static final Duration NEVER = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void inputReachesStdinAndStdoutComesBack() throws IOException {
        Path cat = script("echoer", "exec cat\n");
        EmulatorProcess.Outcome o = EmulatorProcess.run(List.of(cat.toString()), "line 1\nline 2\n",
                Duration.ofSeconds(20));
        assertThat(o.succeeded()).isTrue();
        assertThat(o.stdout()).isEqualTo("line 1\nline 2\n");
        assertThat(o.timedOut()).isFalse();
    }

    @Test
    void failureKeepsTheExitStatusAndTheEndOfStderr() throws IOException {
        Path bad = script("bad", "echo 'warning: first' >&2\necho 'qemu: unsupported machine' >&2\nexit 3\n");
        EmulatorProcess.Outcome o = EmulatorProcess.run(List.of(bad.toString()), "", Duration.ofSeconds(20));
        assertThat(o.exitCode()).isEqualTo(3);
        assertThat(o.succeeded()).isFalse();
        assertThat(o.describe()).isEqualTo("exited with status 3; stderr: qemu: unsupported machine");
    }

    @Test
    void hangingProcessAndItsChildrenAreKilledAtTheTimeout() throws Exception {
        FakeEmulator hang = FakeEmulator.hanging(dir, "qemu-system-x86_64");
        EmulatorProcess.Outcome o = assertTimeoutPreemptively(NEVER,
                () -> EmulatorProcess.run(List.of(hang.path().toString()), "{}", Duration.ofMillis(500)));
        assertThat(o.timedOut()).isTrue();
        assertThat(o.exitCode()).isNull();
        assertThat(o.describe()).startsWith("did not finish in time and was killed");
        Optional<ProcessHandle> child = ProcessHandle.of(hang.childPid());
        try {
            // a killed process may linger a moment as a zombie until reaped
            for (int i = 0; i < 50 && child.map(ProcessHandle::isAlive).orElse(false); i++) {
                Thread.sleep(100);
            }
            assertThat(child.map(ProcessHandle::isAlive).orElse(false)).as("the sleeping child").isFalse();
        } finally {
            child.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void endlessOutputIsCappedAndStopped() throws IOException {
        Path yes = script("flood", "exec yes 'machine-type-line'\n");
        EmulatorProcess.Outcome o = assertTimeoutPreemptively(NEVER,
                () -> EmulatorProcess.run(List.of(yes.toString()), "", Duration.ofSeconds(1)));
        assertThat(o.timedOut()).isTrue();
        assertThat(o.stdout().length()).isEqualTo(EmulatorProcess.STDOUT_CAP);
    }

    @Test
    void aGrandchildHoldingThePipeDoesNotHoldTheCaller() throws Exception {
        Path pidFile = dir.resolve("grandchild");
        Path leaky = script("leaky", "sleep 600 &\necho $! > '" + pidFile + "'\necho done\nexit 0\n");
        EmulatorProcess.Outcome o = assertTimeoutPreemptively(NEVER,
                () -> EmulatorProcess.run(List.of(leaky.toString()), "", Duration.ofSeconds(20)));
        try {
            assertThat(o.exitCode()).isZero();
            assertThat(o.stdout()).isEqualTo("done\n");
        } finally {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aMissingBinaryCannotBeStarted() {
        EmulatorProcess.Outcome o = EmulatorProcess.run(List.of(dir.resolve("qemu-system-nope").toString()), "",
                Duration.ofSeconds(5));
        assertThat(o.startError()).isNotBlank();
        assertThat(o.exitCode()).isNull();
        assertThat(o.timedOut()).isFalse();
        assertThat(o.describe()).startsWith("could not be started: ");
    }
}
