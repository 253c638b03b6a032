package io.hostdev.probes.host;

import io.hostdev.probes.HostFiles;
import io.hostdev.probes.Probe;
import io.hostdev.probes.SysfsValues;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host CPU as {@code proc/cpuinfo} describes it ({@code proc.cpuinfo}), and the running
 * kernel's architecture from {@code proc/sys/kernel/arch} (the {@code kernel.arch} sysctl: the
 * machine string of uname(2), Documentation/admin-guide/sysctl/kernel.rst; recent kernels only).
 *
 * <p>cpuinfo has no ABI document: each architecture prints its own {@code key : value} lines,
 * blocks separated by blank lines (arch/x86/kernel/cpu/proc.c, arch/arm64/kernel/cpuinfo.c,
 * arch/arm/kernel/setup.c, arch/powerpc/kernel/setup-common.c, arch/s390/kernel/processor.c).
 * The parser reads the shapes of all of them, see {@link #parse}; docs/host.md lists the fields
 * taken from each and how the architecture is inferred when the kernel does not say.
 */
public final class CpuInfoProbe implements Probe<CpuInfoProbe.CpuInfo> {

    public static final String ID = "proc.cpuinfo";

    /** A 1024-CPU x86 host prints about 1.5 MB; more than this is not a cpuinfo we can use whole. */
    static final int CPUINFO_CAP = 4 * 1024 * 1024;

    /**
     * What cpuinfo says. Fields as in {@link io.hostdev.model.host.HostCpu}; {@code processors}
     * is the number of processor entries, absent when there are none.
     */
    public record CpuInfo(String arch, String vendor, String modelName, Integer family, Integer model,
                          Integer stepping, Long microcode, List<String> flags, Integer processors) {
        public CpuInfo {
            flags = flags == null ? List.of() : List.copyOf(flags);
        }
    }

    /** The kind of cpuinfo, told apart by the keys each architecture prints. */
    enum Kind { X86, ARM, PPC, S390, RISCV, UNKNOWN }

    /**
     * ARM's implementer codes (the {@code MIDR_EL1.Implementer} field) with the vendor names
     * libvirt prints for them.
     */
    private static final Map<Integer, String> ARM_VENDORS = Map.ofEntries(
            Map.entry(0x41, "ARM"), Map.entry(0x42, "Broadcom"), Map.entry(0x43, "Cavium"),
            Map.entry(0x44, "DigitalEquipment"), Map.entry(0x46, "Fujitsu"), Map.entry(0x48, "HiSilicon"),
            Map.entry(0x49, "Infineon"), Map.entry(0x4d, "Freescale"), Map.entry(0x4e, "NVIDIA"),
            Map.entry(0x50, "APM"), Map.entry(0x51, "Qualcomm"), Map.entry(0x56, "Marvell"),
            Map.entry(0x69, "Intel"), Map.entry(0x70, "Phytium"), Map.entry(0xc0, "Ampere"));

    /** x86 CPUID vendor strings with the vendor names libvirt prints for them. */
    private static final Map<String, String> X86_VENDORS = Map.of(
            "GenuineIntel", "Intel", "AuthenticAMD", "AMD", "HygonGenuine", "Hygon",
            "CentaurHauls", "Zhaoxin CentaurHauls");

    /** 32-bit ARM kernels end the processor name with the ELF platform: {@code (v7l)}, {@code (v6l)}. */
    private static final Pattern ARM_PLATFORM = Pattern.compile("\\((v\\d+)([lb])\\)$");
    /** s390 prints one line per CPU: {@code processor 0: version = 00,  identification = ..., machine = 2964}. */
    private static final Pattern S390_PROCESSOR = Pattern.compile("processor \\d+");
    private static final Pattern S390_MACHINE = Pattern.compile("machine\\s*=\\s*([^,\\s]+)");
    private static final Pattern UNAME_MACHINE = Pattern.compile("[a-z0-9_]{1,32}");
    private static final Pattern X86_32 = Pattern.compile("i[3-6]86");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CpuInfo probe(HostFiles files) {
        String cpuinfo = files.read(files.root().proc().resolve("cpuinfo"), CPUINFO_CAP);
        String kernelArch = files.read(files.root().proc().resolve("sys").resolve("kernel").resolve("arch"));
        return parse(cpuinfo, kernelArch);
    }

    /**
     * Parses cpuinfo text; {@code kernelArch} is the content of {@code proc/sys/kernel/arch}, if
     * any. Never throws: an unreadable or foreign text gives an info with absent fields.
     */
    public static CpuInfo parse(String cpuinfo, String kernelArch) {
        Parsed p = Parsed.of(cpuinfo);
        Kind kind = kind(p);
        List<String> flags = flags(p, flagsKey(kind));
        String modelName = modelName(p, kind);
        String arch = unameArch(kernelArch);
        if (arch == null) {
            arch = inferArch(p, kind, flags, modelName);
        }
        boolean x86 = kind == Kind.X86;
        Long microcode = x86 ? SysfsValues.decimalOrHex(p.first("microcode")) : null;
        return new CpuInfo(arch, vendor(p, kind, modelName), modelName,
                x86 ? SysfsValues.decimalInt(p.first("cpu family")) : null,
                x86 ? SysfsValues.decimalInt(p.first("model")) : null,
                x86 ? SysfsValues.decimalInt(p.first("stepping")) : null,
                microcode != null && microcode >= 0 ? microcode : null,
                flags, p.processors == 0 ? null : p.processors);
    }

    static Kind kind(Parsed p) {
        String vendorId = p.first("vendor_id");
        if (vendorId != null && vendorId.startsWith("IBM/S390")) {
            return Kind.S390;
        }
        if (vendorId != null || p.first("flags") != null) {
            return Kind.X86;
        }
        if (p.first("CPU implementer") != null || p.first("CPU architecture") != null) {
            return Kind.ARM;
        }
        if (p.first("cpu") != null) {
            return Kind.PPC;
        }
        String isa = p.first("isa");
        if (isa != null && isa.startsWith("rv")) {
            return Kind.RISCV;
        }
        return Kind.UNKNOWN;
    }

    private static String flagsKey(Kind kind) {
        return switch (kind) {
            case X86 -> "flags";
            case ARM -> "Features";
            case S390 -> "features";
            default -> null;
        };
    }

    /**
     * The features every processor entry lists: a feature some CPU lacks is not one a guest that
     * may run anywhere on the host can use. Sorted, de-duplicated.
     */
    static List<String> flags(Parsed p, String key) {
        if (key == null) {
            return List.of();
        }
        Set<String> common = null;
        for (Map<String, String> block : p.blocks) {
            String line = block.get(key);
            if (line == null) {
                continue;
            }
            Set<String> these = new TreeSet<>(List.of(line.split("\\s+")));
            these.remove("");
            if (common == null) {
                common = these;
            } else {
                common.retainAll(these);
            }
        }
        return common == null ? List.of() : List.copyOf(common);
    }

    private static String modelName(Parsed p, Kind kind) {
        return switch (kind) {
            case PPC -> p.first("cpu");
            case S390 -> s390Machine(p);
            case RISCV -> p.first("uarch");
            // "Processor" is where 32-bit ARM and early arm64 kernels put the name
            case ARM -> p.first("model name") != null ? p.first("model name") : p.first("Processor");
            default -> p.first("model name");
        };
    }

    private static String s390Machine(Parsed p) {
        for (Map.Entry<String, String> e : p.firstValues.entrySet()) {
            if (S390_PROCESSOR.matcher(e.getKey()).matches()) {
                Matcher m = S390_MACHINE.matcher(e.getValue());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    /** See docs/host.md for the map; an unknown vendor is kept as printed. */
    static String vendor(Parsed p, Kind kind, String modelName) {
        switch (kind) {
            case X86: {
                String raw = p.first("vendor_id");
                return raw == null ? null : X86_VENDORS.getOrDefault(raw, raw);
            }
            case S390:
                return "IBM";
            case ARM: {
                String raw = p.first("CPU implementer");
                Long code = SysfsValues.decimalOrHex(raw);
                String name = code == null ? null : ARM_VENDORS.get(code.intValue());
                return name != null && code >= 0 && code <= 0xff ? name : raw;
            }
            case PPC:
                // POWER processors are IBM's designs; other PowerPC lines say no vendor here
                return modelName != null && modelName.startsWith("POWER") ? "IBM" : null;
            default:
                return null;
        }
    }

    /**
     * libvirt's architecture name for a uname machine string: the same except {@code i386} to
     * {@code i686} → {@code i686}, {@code amd64} → {@code x86_64}, {@code arm64} → {@code aarch64},
     * and {@code armv8l} (32-bit ARM on an ARMv8 CPU) → {@code armv7l}. Absent when it does not
     * look like a machine string.
     */
    static String unameArch(String raw) {
        String s = SysfsValues.text(raw);
        if (s == null || !UNAME_MACHINE.matcher(s).matches()) {
            return null;
        }
        if (X86_32.matcher(s).matches()) {
            return "i686";
        }
        return switch (s) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            case "armv8l" -> "armv7l";
            default -> s;
        };
    }

    /** The architecture when the kernel does not name it; the rules are in docs/host.md. */
    static String inferArch(Parsed p, Kind kind, List<String> flags, String modelName) {
        switch (kind) {
            case X86:
                // lm (long mode) says the CPU can run 64-bit code, which is what a 64-bit kernel needs
                return flags.isEmpty() ? null : flags.contains("lm") ? "x86_64" : "i686";
            case S390:
                return flags.isEmpty() ? null : flags.contains("zarch") ? "s390x" : "s390";
            case ARM:
                return armArch(p, modelName);
            case PPC:
                // cpuinfo tells neither word size nor byte order; POWER is 64-bit, big-endian by default
                return "ppc64";
            case RISCV: {
                String isa = p.first("isa");
                return isa.startsWith("rv64") ? "riscv64" : isa.startsWith("rv32") ? "riscv32" : null;
            }
            default:
                return null;
        }
    }

    private static String armArch(Parsed p, String modelName) {
        if (modelName != null) {
            if (modelName.endsWith("(aarch64)")) {
                return "aarch64";
            }
            Matcher m = ARM_PLATFORM.matcher(modelName);
            if (m.find()) {
                return "arm" + m.group(1) + m.group(2);
            }
        }
        String architecture = p.first("CPU architecture");
        if ("8".equals(architecture) || "AArch64".equals(architecture)) {
            return "aarch64";
        }
        if ("7".equals(architecture)) {
            return "armv7l";
        }
        return null;
    }

    /** cpuinfo split into blocks of {@code key : value} lines, plus the first value of each key. */
    static final class Parsed {
        final List<Map<String, String>> blocks = new ArrayList<>();
        final Map<String, String> firstValues = new LinkedHashMap<>();
        int processors;

        String first(String key) {
            return firstValues.get(key);
        }

        static Parsed of(String text) {
            Parsed p = new Parsed();
            if (text == null) {
                return p;
            }
            Map<String, String> block = new LinkedHashMap<>();
            for (String line : text.split("\n", -1)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    if (line.isBlank() && !block.isEmpty()) {
                        p.blocks.add(block);
                        block = new LinkedHashMap<>();
                    }
                    continue;
                }
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (key.isEmpty()) {
                    continue;
                }
                if (key.equals("processor") || S390_PROCESSOR.matcher(key).matches()) {
                    p.processors++;
                }
                block.putIfAbsent(key, value);
                if (!value.isEmpty()) {
                    p.firstValues.putIfAbsent(key, value);
                }
            }
            if (!block.isEmpty()) {
                p.blocks.add(block);
            }
            return p;
        }
    }
}
