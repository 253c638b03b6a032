package io.hostdev.agent.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code dbus.*} keys: defaults, file and flags, errors, and the printed configuration. */
class DbusSettingsTest {

    @TempDir
    Path tmp;

    ConfigLoader.Environment env;

    @BeforeEach
    void env() throws IOException {
        Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(tmp.resolve("host"));
        env = new ConfigLoader.Environment(false, Map.of(), tmp.resolve("home"), tmp);
    }

    AgentConfig parse(String yaml, String... sets) {
        List<ConfigLoader.Override> all = new ArrayList<>();
        all.add(new ConfigLoader.Override("root", tmp.resolve("host").toString(), "--root"));
        for (String s : sets) {
            int eq = s.indexOf('=');
            all.add(new ConfigLoader.Override(s.substring(0, eq), s.substring(eq + 1), "--set " + s));
        }
        return ConfigLoader.parse(yaml, "agent.yaml", tmp, all, env);
    }

    @Test
    void byDefaultEverySourceIsReadFromTheSystemBus() {
        assertThat(parse("").dbus()).isEqualTo(new DbusSettings(true, null,
                List.of("dbus.hal", "dbus.systemd", "dbus.udisks2")));
    }

    @Test
    void theFileAndFlagsSetTheKeys() {
        DbusSettings d = parse("dbus:\n  sources: [dbus.udisks2]\n  enabled: false\n",
                "dbus.address=unix:path=/tmp/bus", "dbus.enabled=true").dbus();
        assertThat(d).isEqualTo(new DbusSettings(true, "unix:path=/tmp/bus", List.of("dbus.udisks2")));
        assertThat(parse("", "dbus.sources=dbus.systemd,dbus.hal").dbus().sources())
                .containsExactly("dbus.hal", "dbus.systemd");
    }

    @Test
    void anEmptyValueIsTheDefaultButAnEmptyListReadsNoSource() {
        assertThat(parse("", "dbus.sources=").dbus().sources()).hasSize(3);
        assertThat(parse("dbus:\n  sources:\n").dbus().sources()).hasSize(3);
        assertThat(parse("dbus:\n  sources: []\n").dbus().sources()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dbus: {sources: [dbus.udisk]}          | agent.yaml line 1: dbus.sources: unknown id 'dbus.udisk'; known: dbus.hal, dbus.systemd, dbus.udisks2",
        "dbus: {address: tcp:host=localhost}    | agent.yaml line 1: dbus.address: 'tcp:host=localhost' is not a unix:path= bus address",
        "dbus: {enabled: on}                    | agent.yaml line 1: dbus.enabled: 'on' is not true or false",
        "dbus: {socket: /run/dbus}              | agent.yaml line 1: unknown key 'dbus.socket'; dbus takes enabled, address, sources",
    })
    void badValuesAreNamedWithTheirLineAndKey(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message.strip());
    }

    @Test
    void thePrintedConfigurationLoadsBackWithItsDbusKeys() {
        AgentConfig c = parse("", "dbus.address=unix:path=/tmp/bus", "dbus.sources=dbus.hal");
        String described = ConfigLoader.describe(c);
        assertThat(described).contains("dbus:\n  enabled: true\n  address: unix:path=/tmp/bus\n  sources:\n  - dbus.hal\n");
        assertThat(ConfigLoader.parse(described, "described.yaml", tmp, List.of(), env)).isEqualTo(c);
        assertThat(ConfigLoader.describe(parse(""))).as("no address: the default, not printed")
                .doesNotContain("address");
    }
}
