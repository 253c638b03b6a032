package io.hostdev.probes.virt;

import io.hostdev.model.host.Guest.Machine;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The two machine-type listings, parsed from real output captured from this VM's
 * {@code qemu-system-x86_64} 7.2 (test resources) and from hand-written samples of other
 * emulators' formats.
 */
class MachineTypesTest {

    static final String QMP = FakeEmulator.sampleText(FakeEmulator.QMP_SAMPLE);
    static final String HELP = FakeEmulator.sampleText(FakeEmulator.HELP_SAMPLE);

    @Nested
    class Qmp {

        final List<Machine> machines = MachineTypes.parseQmp(QMP);

        @Test
        void everyMachineAndEveryAliasButTheEmptyBoard() {
            // 59 machine types, less "none", plus the aliases pc and q35
            assertThat(machines).hasSize(60);
            assertThat(machines).extracting(Machine::name).doesNotContain("none").contains("pc", "q35", "isapc",
                    "microvm", "x-remote", "pc-q35-4.0.1");
        }

        @Test
        void aliasesNameTheirCanonicalMachineAndShareItsLimits() {
            assertThat(machines).contains(
                    new Machine("pc", "pc-i440fx-7.2", 255, false, false),
                    new Machine("pc-i440fx-7.2", null, 255, false, true),
                    new Machine("q35", "pc-q35-7.2", 288, false, false),
                    new Machine("pc-q35-7.2", null, 288, false, false));
        }

        @Test
        void exactlyTheDefaultIsMarked() {
            assertThat(machines).filteredOn(Machine::isDefault).extracting(Machine::name).containsExactly("pc-i440fx-7.2");
        }

        @Test
        void deprecationAndCpuLimitsAreKept() {
            assertThat(machines).filteredOn(Machine::deprecated).extracting(Machine::name)
                    .containsExactlyInAnyOrder("pc-i440fx-1.4", "pc-i440fx-1.5", "pc-i440fx-1.6", "pc-i440fx-1.7");
            assertThat(machines).contains(new Machine("isapc", null, 1, false, false));
        }

        @Test
        void sortedInNaturalOrder() {
            List<String> names = machines.stream().map(Machine::name).toList();
            assertThat(names.indexOf("pc-i440fx-2.9")).isLessThan(names.indexOf("pc-i440fx-2.10"));
            assertThat(names).isSortedAccordingTo(io.hostdev.model.NaturalOrder.INSTANCE);
        }

        @Test
        void theAnswerIsFoundAmongEventsAndOtherReplies() {
            String out = "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\n"
                    + "{\"event\": \"RESUME\", \"timestamp\": {\"seconds\": 1}}\n"
                    + "{\"return\": {}}\n"
                    + "{\"return\": [{\"name\": \"virt-7.2\", \"alias\": \"virt\", \"cpu-max\": 512,"
                    + " \"deprecated\": false}], \"id\": \"hostdev-machines\"}\n";
            assertThat(MachineTypes.parseQmp(out)).containsExactly(
                    new Machine("virt", "virt-7.2", 512, false, false),
                    new Machine("virt-7.2", null, 512, false, false));
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {
                "{\"QMP\": {}}\n{\"return\": {}}\n",
                "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"x\"}, \"id\": \"hostdev-machines\"}\n",
                "{\"return\": {\"name\": \"pc\"}, \"id\": \"hostdev-machines\"}\n",
                "{\"return\": [{\"name\": \"pc\"}], \"id\": \"someone-else\"}\n",
                "{\"return\": [{\"name\": \"pc\", \"cpu-max\"",
                "qemu-system-x86_64: -qmp stdio: could not connect\n"})
        void noAnswerIsNull(String out) {
            assertThat(MachineTypes.parseQmp(out)).isNull();
        }

        @Test
        void oddFieldsAreDroppedNotTrusted() {
            String out = "{\"return\": [{\"name\": \"a\", \"cpu-max\": -1}, {\"name\": \"b\", \"cpu-max\": 1e3},"
                    + " {\"name\": \"c\", \"cpu-max\": 99999999999}, {\"name\": 7}, {\"alias\": \"x\"},"
                    + " {\"name\": \"d\", \"alias\": 3, \"is-default\": \"yes\"}], \"id\": \"hostdev-machines\"}";
            assertThat(MachineTypes.parseQmp(out)).containsExactly(
                    new Machine("a", null, null, false, false),
                    new Machine("b", null, null, false, false),
                    new Machine("c", null, null, false, false),
                    new Machine("d", null, null, false, false));
        }
    }

    @Nested
    class Help {

        @Test
        void theSameMachinesAsQmpWithoutCpuLimits() {
            List<Machine> fromHelp = MachineTypes.parseHelp(HELP);
            List<Machine> fromQmp = MachineTypes.parseQmp(QMP).stream()
                    .map(m -> new Machine(m.name(), m.canonical(), null, m.deprecated(), m.isDefault())).toList();
            assertThat(fromHelp).isEqualTo(fromQmp);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', nullValues = "NULL", value = {
                "pc                   Standard PC (i440FX + PIIX, 1996) (alias of pc-i440fx-7.2)| pc | pc-i440fx-7.2 | false | false",
                "pc-i440fx-7.2        Standard PC (i440FX + PIIX, 1996) (default)| pc-i440fx-7.2 | NULL | true | false",
                "pc-i440fx-1.4        Standard PC (i440FX + PIIX, 1996) (deprecated)| pc-i440fx-1.4 | NULL | false | true",
                "virt-2.6             QEMU 2.6 ARM Virtual Machine (deprecated) (default)| virt-2.6 | NULL | true | true",
                "s390-ccw-virtio-7.2  Virtual s390x machine (version 7.2) (default)| s390-ccw-virtio-7.2 | NULL | true | false",
                "SS-5                 Sun4m platform, SPARCstation 5 (default)| SS-5 | NULL | true | false",
                "isapc                ISA-only PC| isapc | NULL | false | false",
                "bare-name| bare-name | NULL | false | false",
        })
        void oneLine(String line, String name, String canonical, boolean isDefault, boolean deprecated) {
            assertThat(MachineTypes.parseHelp("Supported machines are:\n" + line + "\n"))
                    .filteredOn(m -> m.name().equals(name))
                    .containsExactly(new Machine(name, canonical, null, deprecated, isDefault));
        }

        @Test
        void anEmulatorWithoutADefaultMarksNone() {
            String aarch64 = """
                    Supported machines are:
                    akita                Sharp SL-C1000 (Akita) PDA (PXA270)
                    none                 empty machine
                    virt                 QEMU 7.2 ARM Virtual Machine (alias of virt-7.2)
                    virt-7.2             QEMU 7.2 ARM Virtual Machine
                    virt-7.1             QEMU 7.1 ARM Virtual Machine
                    """;
            assertThat(MachineTypes.parseHelp(aarch64)).containsExactly(
                    new Machine("akita", null, null, false, false),
                    new Machine("virt", "virt-7.2", null, false, false),
                    new Machine("virt-7.1", null, null, false, false),
                    new Machine("virt-7.2", null, null, false, false));
        }

        @Test
        void anAliasOfAnUnlistedMachineStillNamesIt() {
            assertThat(MachineTypes.parseHelp("pc   Standard PC (alias of pc-1.0)\n")).containsExactly(
                    new Machine("pc", "pc-1.0", null, false, false),
                    new Machine("pc-1.0", null, null, false, false));
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"Supported machines are:\n", "   indented continuation\n", "(default)\n",
                "\r\n\r\n", "qemu-system-x86_64: -machine help: No machine specified:\n"})
        void nothingReadableIsEmpty(String out) {
            assertThat(MachineTypes.parseHelp(out)).isEmpty();
        }
    }

    @Test
    void arbitraryBytesNeverThrow() {
        Random r = new Random(7);
        for (int i = 0; i < 3000; i++) {
            byte[] b = new byte[r.nextInt(300)];
            r.nextBytes(b);
            if (i % 3 == 0 && b.length > 0) {
                b[0] = '{';
            }
            String s = new String(b, StandardCharsets.UTF_8);
            assertThatCode(() -> MachineTypes.parseQmp(s)).doesNotThrowAnyException();
            assertThatCode(() -> MachineTypes.parseHelp(s)).doesNotThrowAnyException();
        }
        String deep = "{\"id\":\"hostdev-machines\",\"return\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatCode(() -> MachineTypes.parseQmp(deep)).doesNotThrowAnyException();
        assertThatCode(() -> MachineTypes.parseHelp("a" + " x".repeat(100_000) + " (alias of b)")).doesNotThrowAnyException();
    }

    @Test
    void theQmpScriptNegotiatesQueriesAndQuits() {
        assertThat(MachineTypes.QMP_SCRIPT.lines().toList()).containsExactly(
                "{\"execute\":\"qmp_capabilities\"}",
                "{\"execute\":\"query-machines\",\"id\":\"hostdev-machines\"}",
                "{\"execute\":\"quit\"}");
    }
}
