package io.hostdev.probes.virt;

import io.hostdev.model.host.Guest;
import io.hostdev.model.host.Guest.Machine;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class QemuProbeTest {

    static Guest only(List<Guest> guests, String arch) {
        return guests.stream().filter(g -> g.arch().equals(arch)).findFirst().orElseThrow();
    }

    /** A fixture root (not the live one): emulators are found by name, never run. */
    @Nested
    class FixtureRoot {

        @TempDir
        Path root;

        FakeSysfs host() {
            return new FakeSysfs(root).dir("sys").dir("dev");
        }

        List<Guest> probe(String hostArch, String... dirs) {
            return new QemuProbe(hostArch, new QemuProbe.Settings(List.of(dirs), Duration.ofSeconds(5)),
                    MachineTypeCache.inMemory()).probe(HostFiles.of(HostRoot.of(root)));
        }

        @Test
        void oneGuestPerArchWithTheEmulatorPathAsOnTheHostAndNoMachines() {
            Path marker = root.resolve("ran");
            String wouldRun = "#!/bin/sh\ntouch '" + marker + "'\n";
            host().file("usr/bin/qemu-system-x86_64", wouldRun).file("usr/bin/qemu-system-i386", wouldRun)
                    .file("usr/bin/qemu-system-aarch64", wouldRun);
            List<Guest> guests = probe("x86_64", "/usr/bin");
            assertThat(guests).extracting(Guest::arch).containsExactly("aarch64", "i686", "x86_64");
            assertThat(only(guests, "i686").emulator()).isEqualTo("/usr/bin/qemu-system-i386");
            assertThat(guests).allSatisfy(g -> {
                assertThat(g.osType()).isEqualTo("hvm");
                assertThat(g.machines()).isEmpty();
            });
            assertThat(only(guests, "i686").wordsize()).isEqualTo(32);
            assertThat(marker).as("a foreign binary was run").doesNotExist();
        }

        @Test
        void theFirstDirectoryWithATargetWins() {
            host().file("usr/local/bin/qemu-system-x86_64", "").file("usr/bin/qemu-system-x86_64", "");
            assertThat(only(probe("x86_64", "/usr/local/bin", "/usr/bin"), "x86_64").emulator())
                    .isEqualTo("/usr/local/bin/qemu-system-x86_64");
            assertThat(only(probe("x86_64", "/usr/bin", "/usr/local/bin"), "x86_64").emulator())
                    .isEqualTo("/usr/bin/qemu-system-x86_64");
        }

        @Test
        void unknownTargetsVariantsDanglingLinksAndRelativeDirsAreSkipped() {
            host().file("usr/bin/qemu-system-x86_64-microvm", "").file("usr/bin/qemu-system-avr", "")
                    .file("usr/bin/qemu-system-tricore", "").symlink("usr/bin/qemu-system-s390x", "nowhere")
                    .dir("usr/bin/qemu-system-sparc").file("bin/qemu-system-mips", "");
            assertThat(probe("x86_64", "/usr/bin", "bin")).isEmpty();
        }

        @Test
        void aLinkedBinaryKeepsTheLinkAsItsPath() {
            host().file("usr/lib/qemu/real-aarch64", "").symlink("usr/bin/qemu-system-aarch64", "../lib/qemu/real-aarch64");
            // on an aarch64 host the aarch64 binary also runs armv7l guests, with KVM
            assertThat(probe("aarch64", "/usr/bin")).extracting(g -> g.arch() + " " + g.emulator()).containsExactly(
                    "aarch64 /usr/bin/qemu-system-aarch64", "armv7l /usr/bin/qemu-system-aarch64");
        }

        @Test
        void oneBinaryCanServeSeveralArchesAsInLibvirt() {
            host().file("usr/bin/qemu-system-ppc64", "").file("usr/bin/qemu-system-arm", "");
            List<Guest> guests = probe("ppc64le", "/usr/bin");
            assertThat(guests).extracting(g -> g.arch() + " " + g.emulator()).containsExactly(
                    "armv6l /usr/bin/qemu-system-arm", "armv7l /usr/bin/qemu-system-arm",
                    "ppc64 /usr/bin/qemu-system-ppc64", "ppc64le /usr/bin/qemu-system-ppc64");
        }

        @Test
        void kvmNeedsDevKvmOpenableReadWriteAndANativeArch() {
            host().file("usr/bin/qemu-system-x86_64", "").file("usr/bin/qemu-system-aarch64", "");
            assertThat(only(probe("x86_64", "/usr/bin"), "x86_64").domains()).extracting(Guest.Domain::type)
                    .containsExactly("qemu");
            host().file("dev/kvm", "");
            List<Guest> guests = probe("x86_64", "/usr/bin");
            assertThat(only(guests, "x86_64").domains()).extracting(Guest.Domain::type).containsExactly("qemu", "kvm");
            assertThat(only(guests, "aarch64").domains()).extracting(Guest.Domain::type).containsExactly("qemu");
        }

        @Test
        void devKqemuAddsKqemu() {
            host().file("usr/bin/qemu-system-x86_64", "").file("dev/kqemu", "");
            assertThat(only(probe("x86_64", "/usr/bin"), "x86_64").domains()).extracting(Guest.Domain::type)
                    .containsExactly("qemu", "kqemu");
        }

        @Test
        void noEmulatorIsAnEmptyResult() {
            host();
            assertThat(probe("x86_64", "/usr/bin", "/usr/local/bin")).isEmpty();
        }
    }

    @Nested
    class EmulatorChoice {

        final Map<String, QemuProbe.Emulator> all = Map.of(
                "aarch64", emulator("aarch64"), "arm", emulator("arm"), "x86_64", emulator("x86_64"));

        QemuProbe.Emulator emulator(String target) {
            return new QemuProbe.Emulator(target, Path.of("/usr/bin/qemu-system-" + target),
                    "/usr/bin/qemu-system-" + target, new MachineTypeCache.Key("/usr/bin/qemu-system-" + target, 1, 1));
        }

        @ParameterizedTest(name = "{1} guest on {0} host → {2}")
        @CsvSource(nullValues = "NULL", value = {
                "aarch64, armv7l, aarch64",
                "x86_64,  armv7l, arm",
                "aarch64, armv6l, arm",
                "x86_64,  i686,   x86_64",
                "aarch64, i686,   NULL",
                "NULL,    i686,   NULL",
                "x86_64,  x86_64, x86_64",
        })
        void libvirtsChoiceOfBinary(String hostArch, String guestArch, String target) {
            QemuProbe.Emulator e = QemuProbe.emulatorFor(hostArch, guestArch, all);
            assertThat(e == null ? null : e.target()).isEqualTo(target);
        }
    }

    @Nested
    class DomainTypes {

        @ParameterizedTest(name = "{1} on {0}, kvm usable {2}, kqemu {3} → {4}")
        @CsvSource(nullValues = "NULL", value = {
                "x86_64,  x86_64,  true,  false, qemu kvm",
                "x86_64,  i686,    true,  false, qemu kvm",
                "i686,    x86_64,  true,  false, qemu",
                "x86_64,  x86_64,  false, false, qemu",
                "x86_64,  aarch64, true,  false, qemu",
                "aarch64, aarch64, true,  false, qemu kvm",
                "aarch64, armv7l,  true,  false, qemu kvm",
                "aarch64, armv6l,  true,  false, qemu",
                "armv7l,  aarch64, true,  false, qemu",
                "ppc64le, ppc64,   true,  false, qemu kvm",
                "ppc64,   ppc64le, true,  false, qemu kvm",
                "ppc64le, ppc,     true,  false, qemu",
                "s390x,   s390x,   true,  false, qemu kvm",
                "NULL,    x86_64,  true,  false, qemu",
                "x86_64,  x86_64,  true,  true,  qemu kqemu kvm",
                "x86_64,  aarch64, false, true,  qemu",
        })
        void table(String hostArch, String guestArch, boolean kvm, boolean kqemu, String types) {
            assertThat(QemuProbe.domainTypes(hostArch, guestArch, kvm, kqemu)).containsExactly(types.split(" "));
        }
    }

    @Nested
    class Features {

        @ParameterizedTest(name = "{0}")
        @CsvSource({
                "i686,        pae nonpae acpi apic",
                "x86_64,      acpi apic",
                "aarch64,     acpi",
                "loongarch64, acpi",
                "armv7l,      ''",
                "ppc64,       ''",
                "s390x,       ''",
                "riscv64,     ''",
        })
        void perArch(String arch, String specific) {
            List<String> expected = new ArrayList<>(List.of("cpuselection", "deviceboot",
                    "disksnapshot default=on toggle=no", "externalSnapshot"));
            for (String f : specific.split(" ")) {
                switch (f) {
                    case "acpi" -> expected.add("acpi default=on toggle=yes");
                    case "apic" -> expected.add("apic default=on toggle=no");
                    case "" -> {
                    }
                    default -> expected.add(f);
                }
            }
            assertThat(CapsXml.features(QemuProbe.features(arch))).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Nested
    class Settings {

        @Test
        void pathEntriesComeFirstWithoutRepeatsOrEmptyEntries() {
            assertThat(QemuProbe.Settings.searchDirs("/a::/b:/a:", List.of("/usr/bin", "/b")))
                    .containsExactly("/a", "/b", "/usr/bin");
            assertThat(QemuProbe.Settings.searchDirs(null, QemuProbe.DEFAULT_EMULATOR_DIRS))
                    .isEqualTo(QemuProbe.DEFAULT_EMULATOR_DIRS);
        }

        @Test
        void defaultsEndWithTheDocumentedDirectories() {
            List<String> dirs = QemuProbe.Settings.defaults().searchDirs();
            assertThat(dirs).containsAll(QemuProbe.DEFAULT_EMULATOR_DIRS);
            assertThat(QemuProbe.Settings.defaults().timeout()).isEqualTo(QemuProbe.DEFAULT_TIMEOUT);
        }

        @Test
        void onlyTheFileSystemRootIsLive() {
            assertThat(QemuProbe.isLive(HostRoot.live())).isTrue();
            assertThat(QemuProbe.isLive(HostRoot.of(Path.of("/host")))).isFalse();
        }
    }

    /**
     * Real runs of fake emulators (shell scripts) on the live root: their directory is searched
     * instead of PATH. Domain types depend on this machine's /dev/kvm and are not checked here.
     */
    @Nested
    class Running {

        @TempDir
        Path dir;

        final List<LogRecord> warnings = new ArrayList<>();
        final Logger jul = Logger.getLogger(QemuProbe.class.getName());
        final Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        @BeforeEach
        void listen() {
            jul.addHandler(handler);
        }

        @AfterEach
        void stopListening() {
            jul.removeHandler(handler);
        }

        Path bin() {
            return dir.resolve("bin");
        }

        List<Guest> probe(MachineTypeCache cache, Duration timeout) {
            return new QemuProbe("x86_64", new QemuProbe.Settings(List.of(bin().toString()), timeout), cache)
                    .probe(HostFiles.of(HostRoot.live()));
        }

        FakeEmulator qemu(boolean qmp, boolean help) {
            return FakeEmulator.answering(bin(), "qemu-system-x86_64",
                    qmp ? FakeEmulator.sample(dir, FakeEmulator.QMP_SAMPLE) : null,
                    help ? FakeEmulator.sample(dir, FakeEmulator.HELP_SAMPLE) : null);
        }

        @Test
        void machinesComeFromQmpAndTheEmulatorPathIsTheBinary() {
            FakeEmulator e = qemu(true, true);
            Guest g = only(probe(MachineTypeCache.inMemory(), Duration.ofSeconds(20)), "x86_64");
            assertThat(g.emulator()).isEqualTo(e.path().toString());
            assertThat(g.machines()).hasSize(60).contains(new Machine("pc", "pc-i440fx-7.2", 255, false, false));
            assertThat(e.calls()).containsExactly("-machine none -nodefaults -nographic -no-user-config -S -qmp stdio");
            assertThat(warnings).isEmpty();
        }

        @Test
        void withoutQmpMachineHelpIsParsed() {
            FakeEmulator e = qemu(false, true);
            Guest g = only(probe(MachineTypeCache.inMemory(), Duration.ofSeconds(20)), "x86_64");
            assertThat(g.machines()).hasSize(60).contains(new Machine("pc", "pc-i440fx-7.2", null, false, false));
            assertThat(e.calls()).hasSize(2).last().isEqualTo("-machine help");
        }

        @Test
        void anEmulatorThatAnswersNeitherKeepsItsGuestAndSaysWhy() {
            qemu(false, false);
            Guest g = only(probe(MachineTypeCache.inMemory(), Duration.ofSeconds(20)), "x86_64");
            assertThat(g.machines()).isEmpty();
            assertThat(warnings).singleElement().extracting(LogRecord::getMessage).asString()
                    .contains(bin().resolve("qemu-system-x86_64").toString())
                    .contains("exited with status 1; stderr: qemu: -qmp: unknown option")
                    .contains("stderr: no help")
                    .contains("listed without machine types");
        }

        @Test
        void aHangingEmulatorIsKilledOnceAndNotRetriedUntilItChanges() {
            FakeEmulator e = FakeEmulator.hanging(bin(), "qemu-system-x86_64");
            MachineTypeCache cache = MachineTypeCache.inMemory();
            List<Guest> guests = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> probe(cache, Duration.ofMillis(500)));
            assertThat(only(guests, "x86_64").machines()).isEmpty();
            assertThat(only(guests, "x86_64").domains()).extracting(Guest.Domain::type).contains("qemu");
            assertThat(e.calls()).as("no -machine help after a timeout").hasSize(1);
            assertThat(warnings).singleElement().extracting(LogRecord::getMessage).asString()
                    .contains("did not finish in time and was killed");
            probe(cache, Duration.ofMillis(500));
            assertThat(e.calls()).hasSize(1);
            assertThat(warnings).hasSize(1);
            ProcessHandle.of(e.childPid()).ifPresent(ProcessHandle::destroyForcibly);
        }

        @Test
        void theCacheHitsUntilMtimeOrSizeChanges() throws IOException {
            FakeEmulator e = qemu(true, true);
            MachineTypeCache cache = MachineTypeCache.inMemory();
            probe(cache, Duration.ofSeconds(20));
            probe(cache, Duration.ofSeconds(20));
            assertThat(e.calls()).as("second probe is a hit").hasSize(1);

            Files.setLastModifiedTime(e.path(), FileTime.fromMillis(Files.getLastModifiedTime(e.path()).toMillis() - 60_000));
            probe(cache, Duration.ofSeconds(20));
            assertThat(e.calls()).as("new mtime misses").hasSize(2);

            FileTime mtime = Files.getLastModifiedTime(e.path());
            Files.writeString(e.path(), Files.readString(e.path()) + "# rebuilt\n");
            Files.setLastModifiedTime(e.path(), mtime);
            probe(cache, Duration.ofSeconds(20));
            assertThat(e.calls()).as("new size, same mtime, misses").hasSize(3);
            probe(cache, Duration.ofSeconds(20));
            assertThat(e.calls()).hasSize(3);
        }

        @Test
        void twoArchesOnOneBinaryRunItOnce() {
            FakeEmulator e = qemu(true, true);
            List<Guest> guests = probe(MachineTypeCache.inMemory(), Duration.ofSeconds(20));
            // no qemu-system-i386 here: on an x86_64 host the i686 guest uses qemu-system-x86_64
            assertThat(guests).extracting(Guest::arch).containsExactly("i686", "x86_64");
            assertThat(only(guests, "i686").machines()).isEqualTo(only(guests, "x86_64").machines());
            assertThat(e.calls()).hasSize(1);
        }
    }
}
