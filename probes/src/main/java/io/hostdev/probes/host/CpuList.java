package io.hostdev.probes.host;

import java.util.BitSet;

/**
 * The kernel's CPU list format, as {@code cpu/online}, {@code cpu/present},
 * {@code node/nodeN/cpulist}, {@code topology/thread_siblings_list} and
 * {@code cache/indexM/shared_cpu_list} print it: comma-separated ids and inclusive ranges,
 * {@code 0-3,8,10-11} (the "cpu lists" section of Documentation/admin-guide/kernel-parameters.rst;
 * the files are in Documentation/ABI/stable/sysfs-devices-node and
 * Documentation/ABI/testing/sysfs-devices-system-cpu). An empty line is an empty list: the kernel
 * prints one for {@code cpu/offline} when every CPU is online.
 */
final class CpuList {

    /**
     * Highest CPU id accepted. The kernel's largest configuration (x86 {@code MAXSMP}) has 8192;
     * the bound keeps a garbage range such as {@code 0-2147483647} from allocating gigabytes.
     */
    static final int MAX_CPU = (1 << 16) - 1;

    /** Five digits hold {@link #MAX_CPU}; more is garbage, leading zeros included. */
    private static final int MAX_DIGITS = 5;

    private CpuList() {
    }

    /**
     * The CPUs of a list, or {@code null} when it is not one: a number above {@link #MAX_CPU}, a
     * range that runs backwards, anything but ASCII digits, {@code -} and {@code ,}. Surrounding
     * white space is ignored. The result is a fresh set the caller may change.
     */
    static BitSet parse(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        BitSet cpus = new BitSet();
        if (s.isEmpty()) {
            return cpus;
        }
        int pos = 0;
        while (true) {
            int comma = s.indexOf(',', pos);
            int end = comma < 0 ? s.length() : comma;
            if (!addRange(s, pos, end, cpus)) {
                return null;
            }
            if (comma < 0) {
                return cpus;
            }
            pos = comma + 1;
        }
    }

    private static boolean addRange(String s, int from, int to, BitSet cpus) {
        int dash = s.indexOf('-', from);
        if (dash < 0 || dash >= to) {
            int id = number(s, from, to);
            if (id < 0) {
                return false;
            }
            cpus.set(id);
            return true;
        }
        int first = number(s, from, dash);
        int last = number(s, dash + 1, to);
        if (first < 0 || last < first) {
            return false;
        }
        cpus.set(first, last + 1);
        return true;
    }

    /** The decimal number in {@code s[from, to)}, or -1 when there is none or it is too large. */
    private static int number(String s, int from, int to) {
        if (to <= from || to - from > MAX_DIGITS) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > MAX_CPU ? -1 : value;
    }

    /**
     * A set in the same list form, as libvirt prints it too: ascending, a run of two or more
     * consecutive ids as a range ({@code 0-1}), single ids alone ({@code 0,4}). The empty set is
     * the empty string.
     */
    static String format(BitSet cpus) {
        StringBuilder sb = new StringBuilder();
        int start = cpus.nextSetBit(0);
        while (start >= 0) {
            int end = cpus.nextClearBit(start) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(start);
            if (end > start) {
                sb.append('-').append(end);
            }
            start = end == Integer.MAX_VALUE ? -1 : cpus.nextSetBit(end + 1);
        }
        return sb.toString();
    }

    /** {@link #parse} then {@link #format}: the list in canonical form, or {@code null}. */
    static String canonical(String raw) {
        BitSet cpus = parse(raw);
        return cpus == null ? null : format(cpus);
    }
}
