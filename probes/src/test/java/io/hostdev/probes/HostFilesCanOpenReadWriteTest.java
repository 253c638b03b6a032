package io.hostdev.probes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link HostFiles#canOpenReadWrite}: real files, a real device node and a real kernel refusal. */
class HostFilesCanOpenReadWriteTest {

    @TempDir
    Path dir;

    HostFiles files() {
        return HostFiles.of(HostRoot.of(dir));
    }

    @Test
    void writableFileOpensAndIsLeftUnchanged() throws IOException {
        Path f = Files.writeString(dir.resolve("kvm"), "content\n");
        assertThat(files().canOpenReadWrite(f)).isTrue();
        assertThat(Files.readString(f)).isEqualTo("content\n");
    }

    @Test
    void missingFileDoesNot() {
        assertThat(files().canOpenReadWrite(dir.resolve("dev/kvm"))).isFalse();
    }

    @Test
    void directoryDoesNot() throws IOException {
        assertThat(files().canOpenReadWrite(Files.createDirectories(dir.resolve("dev")))).isFalse();
    }

    @Test
    void readOnlyFileDoesNotForAnOrdinaryUser() throws IOException {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root may write any file: skipped");
        Path f = Files.writeString(dir.resolve("kvm"), "");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
        assertThat(files().canOpenReadWrite(f)).isFalse();
    }

    @Test
    void sysfsAttributeWithoutAStoreRefusesEvenRoot() {
        Path online = Path.of("/sys/devices/system/cpu/online");
        assumeTrue(Files.isReadable(online), "no sysfs here: skipped");
        assertThat(HostFiles.of(HostRoot.live()).canOpenReadWrite(online)).isFalse();
    }

    @Test
    void characterDeviceOpens() {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull), "no /dev/null: skipped");
        assertThat(HostFiles.of(HostRoot.live()).canOpenReadWrite(devNull)).isTrue();
    }

    @Test
    void theCheckIsRecordedAsAStat() {
        HostFiles files = HostFiles.recording(HostRoot.of(dir));
        files.canOpenReadWrite(dir.resolve("dev/kvm"));
        assertThat(files.accesses()).containsExactly(new Access(Access.Kind.STAT, dir.resolve("dev/kvm")));
    }
}
