package io.hostdev.probes.virt;

/**
 * STAND-IN, TEST CODE ONLY: the host arch from a {@code /proc/cpuinfo} text, just enough to feed
 * the Xen conformance cases, because the CPU probe ({@code proc.cpuinfo}) is built on another
 * branch. To be replaced by the real cpuinfo parser when the branches meet.
 *
 * <p>Rules: an x86 {@code flags} line means x86_64 with {@code lm} (long mode), i686 without;
 * {@code arch : IA-64} or an {@code ia64} vendor means ia64; a {@code cpu : POWER...} line or a
 * {@code platform} line means ppc64; anything else (an empty file) is unknown.
 *
 * <p>Known limit, shared by any cpuinfo-only rule: {@code lm} says what the CPU can do, not what
 * the kernel runs, so a 32-bit (i686) Xen on a 64-bit-capable CPU reads as x86_64 — the case of
 * libvirt's three xen-i686* samples, whose test passes the host arch in explicitly.
 */
final class CpuinfoArchStandIn {

    private CpuinfoArchStandIn() {
    }

    static String arch(String cpuinfo) {
        if (cpuinfo == null) {
            return null;
        }
        boolean x86 = false;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "flags" -> {
                    x86 = true;
                    for (String flag : value.split("\\s+")) {
                        if (flag.equals("lm")) {
                            return "x86_64";
                        }
                    }
                }
                case "arch" -> {
                    if (value.equals("IA-64")) {
                        return "ia64";
                    }
                }
                case "vendor" -> {
                    if (value.toLowerCase(java.util.Locale.ROOT).contains("ia64")) {
                        return "ia64";
                    }
                }
                case "cpu" -> {
                    if (value.startsWith("POWER") || value.startsWith("PPC")) {
                        return "ppc64";
                    }
                }
                case "platform" -> {
                    return "ppc64";
                }
                default -> {
                }
            }
        }
        return x86 ? "i686" : null;
    }
}
