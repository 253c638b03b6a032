package io.hostdev.probes;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each failure a sysfs read can meet, produced for real: on this machine's own sysfs and procfs
 * where only the kernel can produce it (EACCES for root, EIO, EINVAL), on files in a temp dir
 * otherwise. Every one must read as "absent".
 */
class HostFilesTest {

    @TempDir
    Path dir;

    HostFiles files() {
        return HostFiles.of(HostRoot.of(dir));
    }

    static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Nested
    class ErrorsReadAsAbsent {

        @Test
        void enoentMissingFile() {
            assertThat(files().read(dir.resolve("nope"))).isNull();
            assertThat(files().readLong(dir.resolve("nope"))).isNull();
        }

        @Test
        void eaccesModeZeroFileWhenNotRoot() throws IOException {
            assumeTrue(!isRoot(), "root reads mode-000 files; the live-sysfs EACCES test covers root");
            Path f = Files.writeString(dir.resolve("secret"), "x\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
            assertThat(files().read(f)).isNull();
        }

        @Test
        void eaccesWriteOnlySysfsAttributeEvenForRoot() {
            // sys/bus/BUS/uevent is write-only (0200): the kernel refuses to open it for reading, even for root
            HostRoot live = HostRoot.live();
            Optional<Path> writeOnly = HostFiles.of(live).list(live.sys().resolve("bus")).stream().sorted()
                    .map(b -> live.sys().resolve("bus").resolve(b).resolve("uevent"))
                    .filter(Files::exists).findFirst();
            assumeTrue(writeOnly.isPresent(), "no sysfs bus on this machine");
            assertThat(permissions(writeOnly.get())).as("precondition: no read bit").doesNotContain(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ);
            assertThat(HostFiles.of(live).read(writeOnly.get())).isNull();
        }

        @Test
        void eioFromTheKernelThroughAnAttributeLink() throws IOException {
            // reading address 0 of a process's memory answers EIO; an attribute linking there reads as absent
            Path mem = HostRoot.live().proc().resolve("self").resolve("mem");
            assumeTrue(Files.exists(mem), "no procfs");
            Path attr = Files.createSymbolicLink(dir.resolve("vendor"), mem);
            assertThat(files().read(attr)).isNull();
        }

        @Test
        void einvalSpeedOfALinkWithoutOne() {
            // loopback has no link speed: the kernel answers EINVAL
            Path speed = HostRoot.live().sys().resolve("class/net/lo/speed");
            assumeTrue(Files.exists(speed), "no sysfs net class");
            assertThat(HostFiles.of(HostRoot.live()).read(speed)).isNull();
        }

        @Test
        void eisdirDirectoryWhereAFileWasExpected() throws IOException {
            Files.createDirectories(dir.resolve("size"));
            assertThat(files().read(dir.resolve("size"))).isNull();
        }

        @Test
        void eloopSymlinkLoopEnds() throws IOException {
            Files.createSymbolicLink(dir.resolve("a"), Path.of("b"));
            Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));
            Files.createSymbolicLink(dir.resolve("self"), Path.of("self"));
            assertThat(files().read(dir.resolve("a"))).isNull();
            assertThat(files().read(dir.resolve("self"))).isNull();
            assertThat(files().list(dir.resolve("a"))).isEmpty();
            assertThat(files().readLink(dir.resolve("a"))).isEqualTo("b");
            assertThat(files().stat(dir.resolve("self")).isSymbolicLink()).isTrue();
        }

        @Test
        void danglingLinkIsAbsentButItsTargetIsReadable() throws IOException {
            Files.createSymbolicLink(dir.resolve("driver"), Path.of("../../bus/pci/drivers/gone"));
            assertThat(files().read(dir.resolve("driver"))).isNull();
            assertThat(files().readLinkName(dir.resolve("driver"))).isEqualTo("gone");
            assertThat(files().exists(dir.resolve("driver"))).isTrue();
        }

        @Test
        void listingAMissingOrNonDirectoryIsEmpty() throws IOException {
            Files.writeString(dir.resolve("file"), "x");
            assertThat(files().list(dir.resolve("missing"))).isEmpty();
            assertThat(files().list(dir.resolve("file"))).isEmpty();
            assertThat(files().readLink(dir.resolve("file"))).isNull();
        }
    }

    @Nested
    class LenientDecoding {

        @Test
        void binaryGarbageDecodesWithReplacementAndNoException() throws IOException {
            byte[] garbage = {(byte) 0xff, (byte) 0xfe, 'o', 'k', 0, '\r', '\n', (byte) 0xc3, 0, 0, 0};
            Path f = Files.write(dir.resolve("garbage"), garbage);
            String s = files().read(f);
            assertThat(s).startsWith("\ufffd\ufffdok").doesNotEndWith("\u0000");
        }

        @Test
        void everyByteSequenceDecodes() throws IOException {
            java.util.Random random = new java.util.Random(42);
            for (int i = 0; i < 500; i++) {
                byte[] b = new byte[random.nextInt(64)];
                random.nextBytes(b);
                Path f = Files.write(dir.resolve("r" + i), b);
                assertThatCode(() -> files().read(f)).doesNotThrowAnyException();
                assertThatCode(() -> SysfsValues.decimalOrHex(files().read(f))).doesNotThrowAnyException();
            }
        }

        @Test
        void contentIsCappedAtTheAttributeLimit() throws IOException {
            byte[] big = new byte[1 << 20];
            Arrays.fill(big, (byte) 'a');
            Path f = Files.write(dir.resolve("big"), big);
            assertThat(files().read(f)).hasSize(HostFiles.ATTRIBUTE_CAP);
            assertThat(files().read(f, 100_000)).hasSize(100_000);
            assertThat(files().readBytes(f, 10)).hasSize(10);
        }

        @Test
        void trailingNewlinesSpacesAndNulPaddingAreStripped() throws IOException {
            Path f = Files.write(dir.resolve("model"), "Samsung SSD  \n\u0000\u0000".getBytes(StandardCharsets.UTF_8));
            assertThat(files().read(f)).isEqualTo("Samsung SSD");
        }
    }

    @Nested
    class Recording {
        @Test
        void recordsEveryAccessInOrderOnceEach() throws IOException {
            Files.writeString(dir.resolve("a"), "1");
            Files.createSymbolicLink(dir.resolve("l"), Path.of("a"));
            HostFiles rec = HostFiles.recording(HostRoot.of(dir));
            rec.read(dir.resolve("a"));
            rec.readLink(dir.resolve("l"));
            rec.list(dir);
            rec.read(dir.resolve("missing"));
            rec.read(dir.resolve("a"));
            assertThat(rec.accesses()).containsExactly(
                    new Access(Access.Kind.READ, dir.resolve("a")),
                    new Access(Access.Kind.READLINK, dir.resolve("l")),
                    new Access(Access.Kind.LIST, dir),
                    new Access(Access.Kind.READ, dir.resolve("missing")));
            assertThat(files().accesses()).isEmpty();
        }
    }

    @Test
    void readLongReadsTheNumberAsSysfsPrintsIt() throws IOException {
        Files.writeString(dir.resolve("tun_flags"), "0x1002\n");
        Files.writeString(dir.resolve("speed"), "-1\n");
        Files.writeString(dir.resolve("mtu"), "\u0661\u0665\u0660\u0660\n");
        assertThat(files().readLong(dir.resolve("tun_flags"))).isEqualTo(0x1002);
        assertThat(files().readLong(dir.resolve("speed"))).isEqualTo(-1);
        assertThat(files().readLong(dir.resolve("mtu"))).as("non-ASCII digits are no number").isNull();
    }

    @Test
    void hostPathsHideTheRoot() {
        HostRoot r = HostRoot.of(dir);
        Path p = r.sys().resolve("devices/virtual/net/lo");
        assertThat(r.hostPath(p)).isEqualTo("/sys/devices/virtual/net/lo");
        assertThat(r.fromHostPath("/sys/devices/virtual/net/lo")).isEqualTo(p);
        assertThat(r.hostPath(r.path())).isEqualTo("/");
        assertThat(r.contains(r.fromHostPath("/../../etc"))).isFalse();
        assertThat(Stream.of(r.sys(), r.proc(), r.dev(), r.run(), r.etc()).map(r::hostPath))
                .containsExactly("/sys", "/proc", "/dev", "/run", "/etc");
        assertThat(HostRoot.live().hostPath(HostRoot.live().sys())).isEqualTo("/sys");
        assertThat(r.resolve("usr/share/hwdata/pci.ids").startsWith(dir)).isTrue();
    }
}
