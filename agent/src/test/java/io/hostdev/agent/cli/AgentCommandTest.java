package io.hostdev.agent.cli;

import io.hostdev.agent.journal.ChangeJournal;
import io.hostdev.agent.journal.JournalConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hostdev agent}'s command line; running agents are tested in {@code core/AgentRestartTest}. */
class AgentCommandTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printConfigShowsTheFlagsOverTheFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("agent.yaml"), "probes:\n  sysfs:\n    interval: 20s\n"
                + "journal:\n  maxRecords: 500\n");

        Run r = run("agent", "--config", file.toString(), "--root", tmp.toString(), "--state-dir", tmp.resolve("s").toString(),
                "--interval", "sysfs=3s", "--timeout", "capabilities=5m", "--disable-probe", "capabilities",
                "--fsync", "never", "--set", "limits.heartbeat=5s", "--print-config");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("stateDir: " + tmp.resolve("s"), "root: " + tmp, "interval: 3s",
                "timeout: 5m", "maxRecords: 500", "fsync: never", "heartbeat: 5s")
                .contains("  capabilities:\n    enabled: false\n");
    }

    @Test
    void aBadFlagValueIsAUsageErrorNamingTheFlag() {
        Run r = run("agent", "--root", tmp.toString(), "--interval", "sysfs=3x", "--print-config");

        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).startsWith("hostdev: --interval sysfs=3x: probes.sysfs.interval: '3x' is not a duration");
    }

    @Test
    void aMisspeltKeyInTheFileIsAUsageErrorWithItsLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("agent.yaml"), "listen: 127.0.0.1:9999\njournal:\n  fsynk: never\n");

        Run r = run("agent", "--config", file.toString(), "--root", tmp.toString(), "--print-config");

        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).startsWith("hostdev: " + file + " line 3: unknown key 'journal.fsynk'; journal takes "
                + "maxRecords, maxAge, segmentBytes, segmentRecords, fsync, fsyncInterval");
    }

    @Test
    void aFlagWithoutItsValueIsAUsageError() {
        Run r = run("agent", "--root", tmp.toString(), "--set", "journal.maxRecords", "--print-config");

        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).startsWith("hostdev: --set journal.maxRecords: expected KEY=VALUE");
    }

    @Test
    @Timeout(60)
    void aStateDirectoryInUseIsRefused() throws IOException {
        Path state = tmp.resolve("state");
        Files.createDirectories(tmp.resolve("root/sys/devices"));
        try (ChangeJournal held = ChangeJournal.open(state.resolve("journal"), JournalConfig.DEFAULTS)) {
            Run r = run("agent", "--root", tmp.resolve("root").toString(), "--state-dir", state.toString(),
                    "--listen", "127.0.0.1:0");

            assertThat(r.code()).isEqualTo(Cli.FAILED);
            assertThat(r.err()).startsWith("hostdev: another agent uses the state directory " + state);
        }
    }
}
