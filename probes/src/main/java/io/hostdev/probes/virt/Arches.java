package io.hostdev.probes.virt;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * libvirt's architecture names (the {@code archnames} choice of libvirt's {@code basictypes.rng}),
 * the word size libvirt gives each, and the QEMU system emulator that runs it
 * ({@code qemu-system-TARGET}). Most names are the same on both sides; QEMU calls i686
 * {@code i386}, runs armv6l and armv7l with {@code arm}, and ppc64le with {@code ppc64}. QEMU
 * targets that have no libvirt name ({@code avr}, {@code hppa}, {@code or1k}, {@code rx},
 * {@code tricore}...) and variants such as {@code x86_64-microvm} give no guest, as in libvirt.
 */
final class Arches {

    /** libvirt arch → word size in bits. */
    private static final Map<String, Integer> WORDSIZE;
    /** libvirt arch → QEMU target, where they differ. */
    private static final Map<String, String> QEMU_TARGET = Map.of(
            "i686", "i386",
            "armv6l", "arm",
            "armv7l", "arm",
            "ppc64le", "ppc64");

    static {
        Map<String, Integer> w = new TreeMap<>();
        for (String a : List.of("aarch64", "alpha", "ia64", "loongarch64", "mips64", "mips64el", "parisc64",
                "ppc64", "ppc64le", "riscv64", "s390x", "sparc64", "x86_64")) {
            w.put(a, 64);
        }
        for (String a : List.of("armv6l", "armv7l", "cris", "i686", "lm32", "m68k", "microblaze", "microblazeel",
                "mips", "mipsel", "openrisc", "parisc", "ppc", "ppcemb", "riscv32", "s390", "sh4", "sh4eb", "sparc",
                "unicore32", "xtensa", "xtensaeb")) {
            w.put(a, 32);
        }
        WORDSIZE = Collections.unmodifiableMap(w);
    }

    private Arches() {
    }

    /** Every libvirt architecture name. */
    static Set<String> all() {
        return WORDSIZE.keySet();
    }

    /** The word size libvirt reports for an architecture; {@code null} for a name libvirt does not know. */
    static Integer wordsize(String arch) {
        return arch == null ? null : WORDSIZE.get(arch);
    }

    /** The {@code TARGET} of the {@code qemu-system-TARGET} binary that emulates {@code arch}. */
    static String qemuTarget(String arch) {
        return QEMU_TARGET.getOrDefault(arch, arch);
    }

    /**
     * Whether a guest of {@code guestArch} runs natively on a {@code hostArch} CPU, so that a
     * hardware accelerator (KVM) can run it: the same architecture; i686 on x86_64 (the CPU's
     * 32-bit mode); armv7l on aarch64 (AArch32 at EL1, which many aarch64 cores lack — libvirt
     * still offers it and leaves the refusal to QEMU); and any pair of ppc64 and ppc64le (the
     * endianness is a guest choice on POWER). These are the pairs libvirt accepts.
     */
    static boolean isNative(String hostArch, String guestArch) {
        if (hostArch == null || guestArch == null) {
            return false;
        }
        if (hostArch.equals(guestArch)) {
            return true;
        }
        return hostArch.equals("x86_64") && guestArch.equals("i686")
                || hostArch.equals("aarch64") && guestArch.equals("armv7l")
                || isPpc64(hostArch) && isPpc64(guestArch);
    }

    static boolean isX86(String arch) {
        return "i686".equals(arch) || "x86_64".equals(arch);
    }

    private static boolean isPpc64(String arch) {
        return arch.equals("ppc64") || arch.equals("ppc64le");
    }
}
