package io.hostdev.probes.host;

import io.hostdev.model.host.NumaCell;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.host.PageSizeProbe.PageSizes;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class PageSizeProbeTest {

    @TempDir
    Path root;

    /** An auxiliary vector as the kernel lays it out: (type, value) words ending in AT_NULL. */
    static byte[] auxv(int word, ByteOrder order, long... pairs) {
        ByteBuffer b = ByteBuffer.allocate((pairs.length + 2) * word).order(order);
        for (long v : pairs) {
            if (word == 8) {
                b.putLong(v);
            } else {
                b.putInt((int) v);
            }
        }
        return b.array();
    }

    /** AT_SYSINFO_EHDR, AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR, AT_UID, AT_SECURE, AT_RANDOM, AT_EXECFN. */
    static long[] typical(long page) {
        return new long[] {33, 0x7ffd12345000L & 0xffffffffL, 16, 0x178bfbff, 6, page, 17, 100, 3, 0x55d1c0000040L & 0xffffffffL,
                11, 1000, 23, 0, 25, 0x7ffd1234abcdL & 0xffffffffL, 31, 0x7ffd1234efe0L & 0xffffffffL};
    }

    @ParameterizedTest
    @CsvSource({"8, LITTLE_ENDIAN, 4096", "8, BIG_ENDIAN, 65536", "4, LITTLE_ENDIAN, 4096", "4, BIG_ENDIAN, 16384"})
    void readsThePageSizeInAnyWordSizeAndByteOrder(int word, String order, long page) {
        ByteOrder o = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        assertThat(PageSizeProbe.auxvPageSize(auxv(word, o, typical(page)))).isEqualTo(page);
    }

    @Test
    void aVectorWithoutPageSizeOrEndOrWithANonsensePageSizeGivesNothing() {
        assertThat(PageSizeProbe.auxvPageSize(auxv(8, ByteOrder.LITTLE_ENDIAN, 33, 1, 16, 2))).isNull();
        byte[] full = auxv(8, ByteOrder.LITTLE_ENDIAN, typical(4096));
        assertThat(PageSizeProbe.auxvPageSize(java.util.Arrays.copyOf(full, 40))).isNull();
        assertThat(PageSizeProbe.auxvPageSize(auxv(8, ByteOrder.LITTLE_ENDIAN, 6, 4097))).isNull();
        assertThat(PageSizeProbe.auxvPageSize(auxv(8, ByteOrder.LITTLE_ENDIAN, 6, 0))).isNull();
        assertThat(PageSizeProbe.auxvPageSize(new byte[0])).isNull();
        assertThat(PageSizeProbe.auxvPageSize(null)).isNull();
    }

    @Test
    void randomBytesNeverThrowAndRarelyPass() {
        Random random = new Random(3);
        int found = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[random.nextInt(512)];
            random.nextBytes(b);
            Long[] out = new Long[1];
            assertThatCode(() -> out[0] = PageSizeProbe.auxvPageSize(b)).doesNotThrowAnyException();
            found += out[0] == null ? 0 : 1;
        }
        assertThat(found).isZero();
    }

    @Test
    void readsAuxvAndTheMachinesHugePagePools() {
        new FakeSysfs(root).bytes("proc/self/auxv", auxv(8, ByteOrder.LITTLE_ENDIAN, typical(4096)))
                .file("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "512\n")
                .file("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "500\n")
                .file("sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "0\n")
                .file("sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages", "0\n");
        assertThat(new PageSizeProbe().probe(HostFiles.of(HostRoot.of(root)))).isEqualTo(new PageSizes(4L,
                List.of(new NumaCell.Pages(2048, 512, 500L), new NumaCell.Pages(1048576, 0, 0L))));
    }

    @Test
    void anEmptyRootKnowsNoPageSize() {
        assertThat(new PageSizeProbe().probe(HostFiles.of(HostRoot.of(root)))).isEqualTo(new PageSizes(null, List.of()));
    }

    @Test
    void theLiveHostGivesThisProcesssPageSize() {
        // every Linux the build runs on today uses 4, 16 or 64 KiB base pages
        Long base = new PageSizeProbe().probe(HostFiles.of(HostRoot.live())).baseKiB();
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(Path.of("/proc/self/auxv")),
                "no procfs: skipped");
        assertThat(base).isIn(4L, 16L, 64L);
    }
}
