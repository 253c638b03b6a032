package io.hostdev.probes.virt;

import io.hostdev.model.host.Guest.Machine;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MachineTypeCacheTest {

    static final MachineTypeCache.Key KEY = new MachineTypeCache.Key("/usr/bin/qemu-system-x86_64", 1_700_000_000_123_456_789L, 18397984);
    static final List<Machine> MACHINES = List.of(
            new Machine("pc", "pc-i440fx-7.2", 255, false, false),
            new Machine("pc-i440fx-1.4", null, 255, true, false),
            new Machine("pc-i440fx-7.2", null, 255, false, true),
            new Machine("virt", null, null, false, false));

    @TempDir
    Path dir;

    @Nested
    class InMemory {

        @Test
        void aStoredBuildHitsAndAnyOtherMisses() {
            MachineTypeCache c = MachineTypeCache.inMemory();
            assertThat(c.lookup(KEY)).isNull();
            c.store(KEY, MACHINES);
            assertThat(c.lookup(KEY)).isEqualTo(MACHINES);
            assertThat(c.lookup(new MachineTypeCache.Key(KEY.path(), KEY.mtimeNanos() + 1, KEY.size()))).isNull();
            assertThat(c.lookup(new MachineTypeCache.Key(KEY.path(), KEY.mtimeNanos(), KEY.size() + 1))).isNull();
            assertThat(c.lookup(new MachineTypeCache.Key("/usr/local/bin/qemu-system-x86_64", KEY.mtimeNanos(),
                    KEY.size()))).isNull();
        }

        @Test
        void aFailureIsRememberedAsNoMachines() {
            MachineTypeCache c = MachineTypeCache.inMemory();
            c.storeFailure(KEY);
            assertThat(c.lookup(KEY)).isEmpty();
        }

        @Test
        void aNewBuildReplacesTheOldEntry() {
            MachineTypeCache c = MachineTypeCache.inMemory();
            c.store(KEY, MACHINES);
            MachineTypeCache.Key rebuilt = new MachineTypeCache.Key(KEY.path(), KEY.mtimeNanos() + 5, KEY.size());
            c.store(rebuilt, MACHINES.subList(0, 1));
            assertThat(c.lookup(KEY)).isNull();
            assertThat(c.lookup(rebuilt)).hasSize(1);
        }
    }

    @Nested
    class InAFile {

        Path file() {
            return dir.resolve("state/qemu-machines.json");
        }

        @Test
        void whatIsStoredIsReadBackByTheNextAgent() {
            MachineTypeCache.persistent(file()).store(KEY, MACHINES);
            assertThat(file()).exists();
            assertThat(MachineTypeCache.persistent(file()).lookup(KEY)).isEqualTo(MACHINES);
        }

        @Test
        void failuresStayInMemory() {
            MachineTypeCache c = MachineTypeCache.persistent(file());
            c.store(KEY, MACHINES);
            MachineTypeCache.Key broken = new MachineTypeCache.Key("/usr/bin/qemu-system-aarch64", 1, 1);
            c.storeFailure(broken);
            c.store(new MachineTypeCache.Key("/usr/bin/qemu-system-i386", 2, 2), MACHINES);
            assertThat(c.lookup(broken)).isEmpty();
            assertThat(MachineTypeCache.persistent(file()).lookup(broken)).isNull();
        }

        @Test
        void aDamagedFileIsIgnoredAndRewritten() throws IOException {
            Files.createDirectories(file().getParent());
            Files.writeString(file(), "{\"format\": \"hostdev-qemu-machine-types 1\", \"emulators\": [{\"path\": ");
            MachineTypeCache c = MachineTypeCache.persistent(file());
            assertThat(c.lookup(KEY)).isNull();
            c.store(KEY, MACHINES);
            assertThat(MachineTypeCache.persistent(file()).lookup(KEY)).isEqualTo(MACHINES);
        }

        @Test
        void aFileOfAnotherFormatOrWithBadEntriesIsNotTrusted() throws IOException {
            Files.createDirectories(file().getParent());
            Files.writeString(file(), "{\"format\": \"hostdev-qemu-machine-types 2\", \"emulators\": []}");
            assertThat(MachineTypeCache.persistent(file()).lookup(KEY)).isNull();
            Files.writeString(file(), "{\"format\": \"hostdev-qemu-machine-types 1\", \"emulators\": ["
                    + "{\"path\": \"/usr/bin/qemu-system-x86_64\", \"mtime_ns\": \"soon\", \"size\": 18397984, \"machines\": []},"
                    + "{\"path\": \"/usr/bin/qemu-system-i386\", \"mtime_ns\": 2, \"size\": 2, \"machines\": [{\"name\": 3}]},"
                    + "{\"path\": \"/usr/bin/qemu-system-arm\", \"mtime_ns\": 3, \"size\": 3, \"machines\": [{\"name\": \"virt\"}]}]}");
            MachineTypeCache c = MachineTypeCache.persistent(file());
            assertThat(c.lookup(new MachineTypeCache.Key("/usr/bin/qemu-system-x86_64", 1, 18397984))).isNull();
            assertThat(c.lookup(new MachineTypeCache.Key("/usr/bin/qemu-system-i386", 2, 2))).isNull();
            assertThat(c.lookup(new MachineTypeCache.Key("/usr/bin/qemu-system-arm", 3, 3)))
                    .containsExactly(new Machine("virt", null, null, false, false));
        }

        @Test
        void anUnwritableLocationOnlyLosesPersistence() throws IOException {
            Files.writeString(dir.resolve("state"), "a file where the directory should be");
            MachineTypeCache c = MachineTypeCache.persistent(file());
            c.store(KEY, MACHINES);
            assertThat(c.lookup(KEY)).isEqualTo(MACHINES);
        }

        @Test
        void aRestartedProbeRunsNoEmulatorAgain() {
            Path bin = dir.resolve("bin");
            FakeEmulator e = FakeEmulator.answering(bin, "qemu-system-x86_64",
                    FakeEmulator.sample(dir, FakeEmulator.QMP_SAMPLE), null);
            QemuProbe.Settings settings = new QemuProbe.Settings(List.of(bin.toString()), Duration.ofSeconds(20));
            new QemuProbe("x86_64", settings, MachineTypeCache.persistent(file())).probe(HostFiles.of(HostRoot.live()));
            var again = new QemuProbe("x86_64", settings, MachineTypeCache.persistent(file()))
                    .probe(HostFiles.of(HostRoot.live()));
            assertThat(e.calls()).hasSize(1);
            assertThat(again.get(0).machines()).hasSize(60);
        }
    }
}
