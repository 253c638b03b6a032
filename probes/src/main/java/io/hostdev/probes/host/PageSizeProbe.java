package io.hostdev.probes.host;

import io.hostdev.model.host.NumaCell;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.Probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The page sizes of the host ({@code memory.pages}): the base page size from the ELF auxiliary
 * vector in {@code proc/self/auxv} (its {@code AT_PAGESZ} entry, which the kernel sets to its
 * page size for every process; getauxval(3), Documentation/filesystems/proc.rst), and the huge
 * page pools of the machine from {@code sys/kernel/mm/hugepages/hugepages-<size>kB}
 * (Documentation/admin-guide/mm/hugetlbpage.rst, Documentation/ABI/testing/sysfs-kernel-mm-hugepages).
 *
 * <p>The auxiliary vector is binary, in the word size and byte order of the process that reads
 * it; {@link #auxvPageSize} finds the one layout in which the bytes form a well-terminated
 * vector. docs/host.md explains the choice over {@code KernelPageSize} in {@code smaps}.
 */
public final class PageSizeProbe implements Probe<PageSizeProbe.PageSizes> {

    public static final String ID = "memory.pages";

    /** A 64-bit auxv has about 25 entries of 16 bytes; a page of it is more than enough. */
    static final int AUXV_CAP = 4096;

    private static final long AT_NULL = 0;
    private static final long AT_PAGESZ = 6;
    /** Entry types are small (the highest defined is in the fifties); anything large means a wrong layout. */
    private static final long MAX_AT_TYPE = 255;

    /** The base page size in KiB (absent when unknown) and the machine's huge page pools, ascending. */
    public record PageSizes(Long baseKiB, List<NumaCell.Pages> hugePages) {
        public PageSizes {
            hugePages = hugePages == null ? List.of() : List.copyOf(hugePages);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public PageSizes probe(HostFiles files) {
        Long bytes = auxvPageSize(files.readBytes(files.root().proc().resolve("self").resolve("auxv"), AUXV_CAP));
        List<NumaCell.Pages> huge = SysfsNodeProbe.readHugePages(files,
                files.root().sys().resolve("kernel").resolve("mm").resolve("hugepages"));
        return new PageSizes(bytes == null ? null : bytes / 1024, huge);
    }

    /**
     * {@code AT_PAGESZ} in bytes from a raw auxiliary vector, trying 64- then 32-bit words in
     * little- then big-endian order; absent when no layout yields a vector ending in
     * {@code AT_NULL} with a page size that is a power of two from 1 KiB to 1 GiB.
     */
    static Long auxvPageSize(byte[] auxv) {
        if (auxv == null) {
            return null;
        }
        for (int word : new int[] {8, 4}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                Long size = pageSize(auxv, word, order);
                if (size != null) {
                    return size;
                }
            }
        }
        return null;
    }

    private static Long pageSize(byte[] auxv, int word, ByteOrder order) {
        ByteBuffer buf = ByteBuffer.wrap(auxv).order(order);
        Long page = null;
        for (int off = 0; off + 2 * word <= auxv.length; off += 2 * word) {
            long type = word == 8 ? buf.getLong(off) : Integer.toUnsignedLong(buf.getInt(off));
            long value = word == 8 ? buf.getLong(off + word) : Integer.toUnsignedLong(buf.getInt(off + word));
            if (type == AT_NULL) {
                return page;
            }
            if (type < 0 || type > MAX_AT_TYPE) {
                return null;
            }
            if (type == AT_PAGESZ) {
                if (value < 1024 || value > (1L << 30) || Long.bitCount(value) != 1) {
                    return null;
                }
                page = value;
            }
        }
        // no AT_NULL: cut short, or not this layout
        return null;
    }
}
