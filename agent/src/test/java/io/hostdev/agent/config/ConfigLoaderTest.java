package io.hostdev.agent.config;

import io.hostdev.agent.journal.FsyncPolicy;
import io.hostdev.agent.journal.JournalConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path tmp;

    ConfigLoader.Environment env;
    List<ConfigLoader.Override> rootFlag;

    @BeforeEach
    void env() throws IOException {
        Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(tmp.resolve("host"));
        env = new ConfigLoader.Environment(false, Map.of(), tmp.resolve("home"), tmp);
        rootFlag = List.of(new ConfigLoader.Override("root", tmp.resolve("host").toString(), "--root"));
    }

    AgentConfig parse(String yaml, ConfigLoader.Override... overrides) {
        List<ConfigLoader.Override> all = new ArrayList<>(rootFlag);
        all.addAll(List.of(overrides));
        return ConfigLoader.parse(yaml, "agent.yaml", tmp, all, env);
    }

    static ConfigLoader.Override flag(String key, String value) {
        return new ConfigLoader.Override(key, value, "--set " + key + "=" + value);
    }

    @Nested
    class Defaults {

        @Test
        void noFileAndNoFlagsGiveTheDocumentedDefaults() {
            AgentConfig c = parse("");

            assertThat(c.listen()).isEqualTo(new ListenAddress("127.0.0.1", 8742));
            assertThat(c.stateDir()).isEqualTo(tmp.resolve("home/.local/state/hostdev"));
            assertThat(c.insecure()).isFalse();
            assertThat(c.tls()).isEqualTo(TlsConfig.NONE);
            assertThat(c.tokens()).isNull();
            assertThat(c.limits()).isEqualTo(AgentDefaults.LIMITS);
            assertThat(c.sysfs().schedule()).isEqualTo(new ProbeSchedule(true, Duration.ofSeconds(10),
                    Duration.ofSeconds(30), Duration.ofSeconds(1)));
            assertThat(c.capabilities().schedule()).isEqualTo(new ProbeSchedule(true, Duration.ofMinutes(10),
                    Duration.ofMinutes(2), Duration.ofSeconds(30)));
            assertThat(c.journal()).isEqualTo(JournalConfig.DEFAULTS);
            assertThat(c.deviceFacts()).isEqualTo(new DeviceFactsConfig(null, 5000));
            assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(c.oshi()).isEqualTo(new OshiSettings(true, Duration.ofHours(1), Duration.ofMinutes(2)));
        }

        @Test
        void theLiveRootIsTheDefaultRoot() {
            AgentConfig c = ConfigLoader.parse("", "agent.yaml", tmp, List.of(), env);
            assertThat(c.root()).isEqualTo(Path.of("/"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', nullValues = "-", value = {
            "true  | -                | /var/lib/hostdev",
            "true  | /xdg             | /var/lib/hostdev",
            "false | /xdg             | /xdg/hostdev",
            "false | relative/xdg     | HOME/.local/state/hostdev",
            "false | -                | HOME/.local/state/hostdev",
        })
        void theStateDirectoryDependsOnRootAndXdgStateHome(boolean root, String xdg, String expected) {
            Map<String, String> environment = xdg == null ? Map.of() : Map.of("XDG_STATE_HOME", xdg);
            Path home = Path.of("/home/u");
            assertThat(AgentDefaults.stateDir(root, environment, home))
                    .isEqualTo(Path.of(expected.replace("HOME", "/home/u")));
        }
    }

    @Nested
    class FileAndFlags {

        @Test
        void theFileSetsAndFlagsOverride() {
            String yaml = """
                    listen: 127.0.0.2:9000
                    probes:
                      sysfs:
                        interval: 5s
                        exclude: [memory, tty]
                      capabilities:
                        enabled: false
                    journal:
                      fsync: interval
                      segmentBytes: 1MiB
                    """;

            AgentConfig c = parse(yaml, new ConfigLoader.Override("probes.sysfs.interval", "2s", "--interval sysfs=2s"),
                    new ConfigLoader.Override("journal.fsync", "never", "--fsync"));

            assertThat(c.listen()).isEqualTo(new ListenAddress("127.0.0.2", 9000));
            assertThat(c.sysfs().schedule().interval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(c.sysfs().exclude()).containsExactly("memory", "tty");
            assertThat(c.capabilities().schedule().enabled()).isFalse();
            assertThat(c.journal().fsync()).isEqualTo(FsyncPolicy.NEVER);
            assertThat(c.journal().segmentBytes()).isEqualTo(1 << 20);
        }

        @Test
        void theOshiKeysAreReadFromTheFileAndFlags() {
            AgentConfig c = parse("oshi:\n  interval: 6h\n  timeout: 30s\n", flag("oshi.enabled", "false"));
            assertThat(c.oshi()).isEqualTo(new OshiSettings(false, Duration.ofHours(6), Duration.ofSeconds(30)));
        }

        @Test
        void anEmptyFlagValueUnsetsAKey() {
            AgentConfig c = parse("probes:\n  sysfs:\n    interval: 5s\n", flag("probes.sysfs.interval", ""));
            assertThat(c.sysfs().schedule().interval()).isEqualTo(Duration.ofSeconds(10));
        }

        @Test
        void aListCanBeOneCommaSeparatedValue() {
            AgentConfig c = parse("", flag("probes.sysfs.exclude", "memory, tty,,"));
            assertThat(c.sysfs().exclude()).containsExactly("memory", "tty");
        }

        @Test
        void relativePathsInTheFileAreAgainstItsDirectoryAndFlagsAgainstTheWorkingDirectory() throws IOException {
            Path etc = Files.createDirectories(tmp.resolve("etc"));
            Files.writeString(etc.resolve("tokens"), "");
            Files.writeString(etc.resolve("agent.yaml"), "stateDir: state\nauth:\n  tokens: tokens\n");

            AgentConfig c = ConfigLoader.load(etc.resolve("agent.yaml"), rootFlag, env);
            AgentConfig f = ConfigLoader.load(null, List.of(rootFlag.get(0),
                    new ConfigLoader.Override("stateDir", "here", "--state-dir")), env);

            assertThat(c.stateDir()).isEqualTo(etc.resolve("state"));
            assertThat(c.tokens()).isEqualTo(etc.resolve("tokens"));
            assertThat(f.stateDir()).isEqualTo(tmp.resolve("here"));
        }

        @Test
        void theDescriptionLoadsBackToTheSameConfiguration() throws IOException {
            Files.writeString(tmp.resolve("tokens"), "");
            AgentConfig c = parse("""
                    listen: "[::1]:8800"
                    auth: {tokens: tokens}
                    probes:
                      sysfs: {exclude: memory, disable: [sysfs.pci], jitter: 0s}
                      capabilities: {emulatorDirs: [/opt/qemu/bin], interval: 90m}
                    journal: {maxAge: 36h, fsyncInterval: 250ms}
                    metrics: {deviceFacts: {selector: "cap='net'", maxSeries: 100}}
                    oshi: {enabled: false, interval: 2h, timeout: 90s}
                    """);

            AgentConfig back = ConfigLoader.parse(ConfigLoader.describe(c), "described.yaml", tmp, List.of(), env);

            assertThat(back).isEqualTo(c);
        }

        @Test
        void theExampleInTheDocsLoadsAndSaysWhatTheDefaultsAre() throws IOException {
            Path doc = Path.of("..", "docs", "agent.md");
            String text = Files.readString(doc);
            Matcher m = Pattern.compile("<!-- example -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL).matcher(text);
            assertThat(m.find()).as("docs/agent.md has an example marked <!-- example -->").isTrue();
            String example = m.group(1).replace("root: /", "root: " + tmp.resolve("host"));

            AgentConfig c = ConfigLoader.parse(example, "docs/agent.md", tmp, List.of(), env);
            AgentConfig defaults = parse("", flag("stateDir", "/var/lib/hostdev"));

            assertThat(c).isEqualTo(defaults);
        }
    }

    @Nested
    class Errors {

        @Test
        void anUnknownKeyIsAnErrorWithItsLineAndTheKeysThatExist() {
            assertThatThrownBy(() -> parse("probes:\n  sysfs:\n    intervall: 5s\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("agent.yaml line 3: unknown key 'probes.sysfs.intervall'; probes.sysfs takes enabled, "
                            + "interval, timeout, jitter, exclude, disable, pciIds, uevents");
        }

        @Test
        void anUnknownOshiKeyNamesTheKeysOshiTakes() {
            assertThatThrownBy(() -> parse("oshi:\n  period: 1h\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("agent.yaml line 2: unknown key 'oshi.period'; oshi takes enabled, interval, timeout");
        }

        @Test
        void anUnknownTopLevelKeyNamesTheTopLevel() {
            assertThatThrownBy(() -> parse("listen: 127.0.0.1:1\nlisten_addr: x\n"))
                    .hasMessageStartingWith("agent.yaml line 2: unknown key 'listen_addr'; the top level takes listen, "
                            + "stateDir, root");
        }

        @Test
        void theProbingShareIsAFractionOrAPercentage() {
            assertThat(parse("probes: {maxShare: 10%}").probeMaxShare()).isEqualTo(0.10);
            assertThat(parse("probes: {maxShare: 0.25}").probeMaxShare()).isEqualTo(0.25);
            assertThat(parse("").probeMaxShare()).isEqualTo(AgentDefaults.PROBE_MAX_SHARE);
        }

        @Test
        void anUnknownKeyFromAFlagNamesTheFlag() {
            assertThatThrownBy(() -> parse("", new ConfigLoader.Override("probes.udev.interval", "1s",
                    "--interval udev=1s")))
                    .hasMessage("--interval udev=1s: unknown key 'probes.udev'; probes takes sysfs, capabilities, maxShare");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "probes: {sysfs: {interval: 3x}}            | agent.yaml line 1: probes.sysfs.interval: '3x' is not a duration",
            "probes: {sysfs: {interval: 0s}}            | agent.yaml line 1: probes.sysfs.interval: must be more than zero",
            "probes:\\n  sysfs:\\n    timeout: -1s      | agent.yaml line 3: probes.sysfs.timeout: '-1s' is not a duration",
            "probes: {sysfs: {enabled: yes}}            | agent.yaml line 1: probes.sysfs.enabled: 'yes' is not true or false",
            "probes: {maxShare: 0}                      | agent.yaml line 1: probes.maxShare: expected a share above 0 and at most 1 (100%)",
            "probes: {maxShare: 120%}                   | agent.yaml line 1: probes.maxShare: expected a share above 0 and at most 1 (100%)",
            "probes: {maxShare: half}                   | agent.yaml line 1: probes.maxShare: expected a fraction such as 0.05 or a percentage such as 5%",
            "journal: {maxRecords: 0}                   | agent.yaml line 1: journal.maxRecords: must be at least 1, not 0",
            "journal: {maxRecords: 1e9}                 | agent.yaml line 1: journal.maxRecords: '1e9' is not a whole number",
            "journal: {fsync: sometimes}                | agent.yaml line 1: journal.fsync: fsync policy must be always, interval or never, not 'sometimes'",
            "journal: {segmentBytes: 2GiB}              | agent.yaml line 1: journal.segmentBytes: must be between 1 and 1GiB",
            "limits: {maxRequestBytes: 4 MiB}           | agent.yaml line 1: limits.maxRequestBytes: '4 MiB' is not a size",
            "listen: localhost                          | agent.yaml line 1: listen: 'localhost' is not HOST:PORT",
            "listen: 127.0.0.1:70000                    | agent.yaml line 1: listen: '127.0.0.1:70000': port 70000 is above 65535",
            "listen: [127.0.0.1]                        | agent.yaml line 1: listen: expected a single value, found a list",
            "probes: {sysfs: {exclude: {a: b}}}         | agent.yaml line 1: probes.sysfs.exclude: expected a list, found a mapping",
            "probes: {sysfs: {disable: [sysfs.pcie]}}   | agent.yaml line 1: probes.sysfs.disable: unknown id 'sysfs.pcie'; known: ",
            "probes: {capabilities: {disable: [kvm]}}   | agent.yaml line 1: probes.capabilities.disable: unknown id 'kvm'",
            "probes: {capabilities: {emulatorDirs: [bin]}} | agent.yaml line 1: probes.capabilities.emulatorDirs: 'bin' is not an absolute path",
            "probes: 3                                  | agent.yaml line 1: probes: expected a mapping of keys, found a value",
            "metrics: {deviceFacts: {selector: \"cap=\"}} | agent.yaml line 1: metrics.deviceFacts.selector: not a selector: at column",
            "auth: {tokens: missing-file}               | agent.yaml line 1: auth.tokens: ",
            "- a\\n- b                                  | agent.yaml line 1: the file must be a mapping of keys",
            "a: 1\\n---\\nb: 2                          | agent.yaml line 3: only one YAML document is allowed",
            "listen: 1\\nlisten: 2                      | agent.yaml line 2: key 'listen' appears twice in the same mapping (first at agent.yaml line 1)",
            "probes: {sysfs: [}                         | agent.yaml line 1: not valid YAML: ",
            "oshi: {interval: 0s}                       | agent.yaml line 1: oshi.interval: must be more than zero",
            "oshi: {timeout: soon}                      | agent.yaml line 1: oshi.timeout: 'soon' is not a duration",
            "oshi: {enabled: on}                        | agent.yaml line 1: oshi.enabled: 'on' is not true or false",
        })
        void badValuesAreNamedWithTheirLineAndKey(String yaml, String message) {
            assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(message.strip());
        }

        @Test
        void aMissingConfigFileIsNamed() {
            assertThatThrownBy(() -> ConfigLoader.load(Path.of("nope.yaml"), rootFlag, env))
                    .isInstanceOf(ConfigException.class).hasMessage("nope.yaml: no such config file");
        }

        @Test
        void aRootThatIsNoDirectoryIsRefused() {
            assertThatThrownBy(() -> parse("", flag("root", tmp.resolve("absent").toString())))
                    .hasMessageEndingWith("root: " + tmp.resolve("absent") + " is not a directory");
        }
    }

    @Nested
    class Security {

        Path cert;
        Path key;
        Path tokens;

        @BeforeEach
        void files() throws IOException {
            cert = Files.writeString(tmp.resolve("cert.pem"), "");
            key = Files.writeString(tmp.resolve("key.pem"), "");
            tokens = Files.writeString(tmp.resolve("tokens"), "");
        }

        @Test
        void aNonLoopbackAddressNeedsTlsAndTokens() {
            assertThatThrownBy(() -> parse("listen: 0.0.0.0:8742\n"))
                    .hasMessage("agent.yaml line 1: listen: 0.0.0.0:8742 is not a loopback address: serving on it needs "
                            + "TLS (tls.certificate and tls.key, or tls.keystore) and auth.tokens, or insecure: true "
                            + "(--insecure) to serve without them");
            assertThatThrownBy(() -> parse("listen: 0.0.0.0:8742\ntls: {certificate: cert.pem, key: key.pem}\n"))
                    .hasMessageContaining("is not a loopback address");
        }

        @Test
        void withTlsAndTokensOrInsecureItIsAllowed() {
            AgentConfig secure = parse("listen: 0.0.0.0:8742\ntls: {certificate: cert.pem, key: key.pem}\n"
                    + "auth: {tokens: tokens}\n");
            AgentConfig open = parse("listen: 0.0.0.0:8742\n", new ConfigLoader.Override("insecure", "true", "--insecure"));

            assertThat(secure.tls()).isEqualTo(new TlsConfig(cert, key, null, null));
            assertThat(secure.tls().pem()).isTrue();
            assertThat(open.insecure()).isTrue();
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "tls: {certificate: cert.pem}                         | tls.certificate: tls.certificate needs tls.key",
            "tls: {key: key.pem}                                  | tls.key: tls.key needs tls.certificate",
            "tls: {certificate: cert.pem, key: key.pem, keystore: key.pem, keystorePasswordFile: tokens} | tls.keystore: give either",
            "tls: {keystore: key.pem}                             | tls.keystore: tls.keystore needs tls.keystorePasswordFile",
            "tls: {keystorePasswordFile: tokens}                  | tls.keystorePasswordFile: tls.keystorePasswordFile needs tls.keystore",
        })
        void tlsMaterialComesInWholeSets(String yaml, String message) {
            assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("agent.yaml line 1: " + message);
        }
    }
}
