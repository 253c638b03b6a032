package io.hostdev.probes.host;

import io.hostdev.model.host.CacheBank;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.Probe;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The logical CPUs and the caches they share ({@code sysfs.cpu}), from
 * {@code sys/devices/system/cpu}: {@code present} and {@code online} (or {@code cpuN/online}),
 * each online CPU's {@code topology/{physical_package_id,die_id,cluster_id,core_id,thread_siblings_list}}
 * (Documentation/admin-guide/cputopology.rst, Documentation/ABI/stable/sysfs-devices-system-cpu)
 * and its {@code cache/indexM/{level,type,size,id,shared_cpu_list}}
 * (Documentation/ABI/testing/sysfs-devices-system-cpu).
 *
 * <p>Topology ids follow the kernel's and libvirt's meaning of a missing or negative value: a
 * kernel too old for dies or clusters (no {@code die_id}, before 5.2; no {@code cluster_id},
 * before 5.16) or an architecture without sockets ({@code physical_package_id} of -1) puts
 * every CPU in die, cluster or socket 0. An offline CPU has no topology directory: its ids are
 * absent. Caches of level 2 and up are kept, one bank per distinct cache; docs/host.md says why.
 */
public final class SysfsCpuProbe implements Probe<SysfsCpuProbe.Cpus> {

    public static final String ID = "sysfs.cpu";

    /** Level-1 caches are private to a core and not something placement decides on. */
    static final int MIN_CACHE_LEVEL = 2;

    /** Every present CPU, by id, and the distinct cache banks of the online ones. */
    public record Cpus(List<LogicalCpu> cpus, List<CacheBank> caches) {
        public Cpus {
            cpus = cpus == null ? List.of() : cpus.stream().sorted(Comparator.comparingInt(LogicalCpu::id)).toList();
            caches = caches == null ? List.of() : List.copyOf(caches);
        }

        public static final Cpus NONE = new Cpus(List.of(), List.of());
    }

    /**
     * A present CPU. Topology ids are absent when the CPU is offline or the value is unreadable;
     * {@code siblings} is its thread-sibling list in canonical list form.
     */
    public record LogicalCpu(int id, boolean online, Integer socketId, Integer dieId, Integer clusterId,
                             Integer coreId, String siblings) {

        static LogicalCpu offline(int id) {
            return new LogicalCpu(id, false, null, null, null, null, null);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Cpus probe(HostFiles files) {
        Path dir = files.root().sys().resolve("devices").resolve("system").resolve("cpu");
        BitSet present = presentCpus(files, dir);
        if (present.isEmpty()) {
            return Cpus.NONE;
        }
        BitSet online = CpuList.parse(files.read(dir.resolve("online")));
        List<LogicalCpu> cpus = new ArrayList<>();
        Set<CacheBank> banks = new LinkedHashSet<>();
        for (int id = present.nextSetBit(0); id >= 0; id = present.nextSetBit(id + 1)) {
            Path cpuDir = dir.resolve("cpu" + id);
            boolean isOnline = online != null ? online.get(id) : perCpuOnline(files.read(cpuDir.resolve("online")));
            if (!isOnline) {
                cpus.add(LogicalCpu.offline(id));
                continue;
            }
            cpus.add(readCpu(files, cpuDir, id));
            // offline CPUs have no cache directory; the online ones between them see every cache
            banks.addAll(readCaches(files, cpuDir.resolve("cache")));
        }
        return new Cpus(cpus, sortBanks(banks));
    }

    /**
     * The present CPUs that have a {@code cpuN} directory: {@code present} when readable, and
     * the directories. The kernel registers a directory for every present CPU, so the two agree
     * on a live host; where they do not (a trimmed fixture), a CPU without directory has nothing
     * to describe it and is left out, and without {@code present} the directories decide.
     */
    private static BitSet presentCpus(HostFiles files, Path dir) {
        BitSet found = new BitSet();
        for (String name : files.list(dir)) {
            Integer id = cpuId(name);
            if (id != null) {
                found.set(id);
            }
        }
        BitSet present = CpuList.parse(files.read(dir.resolve("present")));
        if (present != null && !found.isEmpty()) {
            found.and(present);
        }
        return found;
    }

    /** {@code cpu12} → 12; anything else (cpufreq, cpuidle...) → absent. */
    static Integer cpuId(String name) {
        if (!name.startsWith("cpu")) {
            return null;
        }
        Integer id = SysfsValues.decimalInt(name.substring(3));
        // the kernel names them without leading zeros: cpu01 is not one of its directories
        return id == null || id > CpuList.MAX_CPU || !name.equals("cpu" + id) ? null : id;
    }

    /** {@code cpuN/online}: a CPU that cannot be taken offline (often cpu0) has none, and is online. */
    static boolean perCpuOnline(String raw) {
        return raw == null || !Boolean.FALSE.equals(SysfsValues.flag(raw));
    }

    private static LogicalCpu readCpu(HostFiles files, Path cpuDir, int id) {
        Path topology = cpuDir.resolve("topology");
        if (!files.isDirectory(topology)) {
            return new LogicalCpu(id, true, null, null, null, null, null);
        }
        return new LogicalCpu(id, true,
                topologyId(files, topology.resolve("physical_package_id")),
                topologyId(files, topology.resolve("die_id")),
                topologyId(files, topology.resolve("cluster_id")),
                topologyId(files, topology.resolve("core_id")),
                siblings(files, topology.resolve("thread_siblings_list"), id));
    }

    /** A file that exists but cannot be read is unknown, unlike a missing one, which has a meaning. */
    private static Integer topologyId(HostFiles files, Path file) {
        String raw = files.read(file);
        return raw == null && files.exists(file) ? null : topologyId(raw);
    }

    private static String siblings(HostFiles files, Path file, int id) {
        String raw = files.read(file);
        return raw == null && files.exists(file) ? null : siblings(raw, id);
    }

    /**
     * A topology id: a missing file or a negative value means the level does not exist, which
     * is level 0; text that is not a number is absent.
     */
    static Integer topologyId(String raw) {
        if (raw == null) {
            return 0;
        }
        Long v = SysfsValues.signedDecimal(raw);
        if (v == null || v > Integer.MAX_VALUE) {
            return null;
        }
        return v < 0 ? 0 : v.intValue();
    }

    /** The thread siblings in canonical form; a CPU without the file is its own only sibling. */
    static String siblings(String raw, int id) {
        if (raw == null) {
            return Integer.toString(id);
        }
        return CpuList.canonical(raw);
    }

    private static List<CacheBank> readCaches(HostFiles files, Path cacheDir) {
        List<CacheBank> banks = new ArrayList<>();
        TreeMap<Integer, String> indexes = new TreeMap<>();
        for (String name : files.list(cacheDir)) {
            if (name.startsWith("index")) {
                Integer n = SysfsValues.decimalInt(name.substring(5));
                if (n != null) {
                    indexes.put(n, name);
                }
            }
        }
        for (String name : indexes.values()) {
            Path index = cacheDir.resolve(name);
            Integer level = SysfsValues.decimalInt(files.read(index.resolve("level")));
            if (level == null || level < MIN_CACHE_LEVEL) {
                continue;
            }
            CacheBank bank = cacheBank(level, files.read(index.resolve("id")), files.read(index.resolve("type")),
                    files.read(index.resolve("size")), files.read(index.resolve("shared_cpu_list")));
            if (bank != null) {
                banks.add(bank);
            }
        }
        return banks;
    }

    /**
     * One cache bank from its attributes, or absent when any is missing or malformed: without
     * an {@code id} (kernels before 4.14, some ARM firmware) two caches of one level cannot be
     * told apart, and libvirt leaves such caches out too.
     */
    static CacheBank cacheBank(int level, String id, String type, String size, String sharedCpuList) {
        Integer bankId = SysfsValues.decimalInt(id);
        String kind = cacheType(type);
        Long bytes = cacheSize(size);
        String cpus = CpuList.canonical(sharedCpuList);
        if (bankId == null || kind == null || bytes == null || cpus == null || cpus.isEmpty()) {
            return null;
        }
        return new CacheBank(bankId, level, kind, bytes, cpus);
    }

    /** The kernel's cache types in libvirt's words: Unified → both, Instruction → code, Data → data. */
    static String cacheType(String raw) {
        String s = SysfsValues.text(raw);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "Unified" -> "both";
            case "Instruction" -> "code";
            case "Data" -> "data";
            default -> null;
        };
    }

    /**
     * A cache size as the kernel prints it ({@code 32K}, {@code 8192K}; {@code M} and {@code G}
     * accepted too, binary multiples) in bytes; a bare number is bytes. Overflow is absent.
     */
    static Long cacheSize(String raw) {
        String s = SysfsValues.text(raw);
        if (s == null) {
            return null;
        }
        int shift = switch (s.charAt(s.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        Long n = digits.equals(digits.strip()) ? SysfsValues.decimal(digits) : null;
        if (n == null || n > (Long.MAX_VALUE >> shift)) {
            return null;
        }
        return n << shift;
    }

    private static List<CacheBank> sortBanks(Set<CacheBank> banks) {
        return banks.stream()
                .sorted(Comparator.comparingInt(CacheBank::level).thenComparingInt(CacheBank::id)
                        .thenComparing(CacheBank::type).thenComparingLong(CacheBank::size)
                        .thenComparing(CacheBank::cpus))
                .toList();
    }
}
