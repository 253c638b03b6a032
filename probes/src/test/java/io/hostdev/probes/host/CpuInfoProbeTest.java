package io.hostdev.probes.host;

import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.host.CpuInfoProbe.CpuInfo;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class CpuInfoProbeTest {

    static final String X86 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model\t\t: 1
            model name\t: AMD EPYC
            stepping\t: 1
            microcode\t: 0x1000065
            cpu MHz\t\t: 2445.426
            physical id\t: 0
            siblings\t: 2
            core id\t\t: 0
            cpu cores\t: 2
            flags\t\t: fpu vme de pse tsc msr pae lm sse2 hypervisor avx2
            bugs\t\t: sysret_ss_attrs spectre_v1
            power management:

            processor\t: 1
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model\t\t: 1
            model name\t: AMD EPYC
            stepping\t: 1
            microcode\t: 0x1000065
            flags\t\t: fpu vme de pse tsc msr pae lm sse2 hypervisor avx2
            power management:

            """;

    static final String AARCH64 = """
            processor\t: 0
            BogoMIPS\t: 50.00
            Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics cpuid
            CPU implementer\t: 0x41
            CPU architecture: 8
            CPU variant\t: 0x3
            CPU part\t: 0xd0c
            CPU revision\t: 1

            processor\t: 1
            BogoMIPS\t: 50.00
            Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics cpuid
            CPU implementer\t: 0x41
            CPU architecture: 8
            CPU variant\t: 0x3
            CPU part\t: 0xd0c
            CPU revision\t: 1
            """;

    static final String ARMV7 = """
            processor\t: 0
            model name\t: ARMv7 Processor rev 4 (v7l)
            BogoMIPS\t: 38.40
            Features\t: half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva idivt vfpd32 lpae evtstrm crc32
            CPU implementer\t: 0x41
            CPU architecture: 7
            CPU variant\t: 0x0
            CPU part\t: 0xd03
            CPU revision\t: 4

            Hardware\t: BCM2835
            Revision\t: a02082
            """;

    static final String PPC64LE = """
            processor\t: 0
            cpu\t\t: POWER9 (architected), altivec supported
            clock\t\t: 2200.000000MHz
            revision\t: 2.2 (pvr 004e 1202)

            processor\t: 1
            cpu\t\t: POWER9 (architected), altivec supported
            clock\t\t: 2200.000000MHz
            revision\t: 2.2 (pvr 004e 1202)

            timebase\t: 512000000
            platform\t: pSeries
            model\t\t: IBM pSeries (emulated by qemu)
            machine\t\t: CHRP IBM pSeries (emulated by qemu)
            MMU\t\t: Radix
            """;

    static final String S390X = """
            vendor_id       : IBM/S390
            # processors    : 2
            bogomips per cpu: 3033.00
            max thread id   : 0
            features\t: esan3 zarch stfle msa ldisp eimm dfp edat etf3eh highgprs te vx sie
            facilities      : 0 1 2 3 4 6 7 8 9 10
            processor 0: version = FF,  identification = 0133E8,  machine = 8561
            processor 1: version = FF,  identification = 0133E8,  machine = 8561

            cpu number      : 0
            cpu MHz dynamic : 5200
            """;

    static CpuInfo parse(String text) {
        return CpuInfoProbe.parse(text, null);
    }

    @Nested
    class X86Format {
        @Test
        void readsVendorModelSignatureMicrocodeAndFlags() {
            assertThat(parse(X86)).isEqualTo(new CpuInfo("x86_64", "AMD", "AMD EPYC", 25, 1, 1, 0x1000065L,
                    List.of("avx2", "de", "fpu", "hypervisor", "lm", "msr", "pae", "pse", "sse2", "tsc", "vme"), 2));
        }

        @Test
        void withoutLongModeTheCpuIsThirtyTwoBit() {
            assertThat(parse(X86.replace(" lm ", " ")).arch()).isEqualTo("i686");
        }

        @Test
        void decimalMicrocodeIsReadToo() {
            assertThat(parse(X86.replace("0x1000065", "16777317")).microcode()).isEqualTo(16777317L);
        }

        @Test
        void onlyFlagsEveryProcessorHasAreKept() {
            String uneven = X86.replaceFirst("hypervisor avx2", "hypervisor");
            assertThat(parse(uneven).flags()).doesNotContain("avx2").contains("hypervisor");
        }

        @Test
        void bugsAreNotFlags() {
            assertThat(parse(X86).flags()).doesNotContain("sysret_ss_attrs", "spectre_v1");
        }

        @Test
        void modelNamePaddingIsStrippedButInnerSpacesKept() {
            String padded = X86.replace("model name\t: AMD EPYC", "model name\t:     Intel(R) Core(TM)2 Duo CPU     T9600");
            assertThat(parse(padded).modelName()).isEqualTo("Intel(R) Core(TM)2 Duo CPU     T9600");
        }
    }

    @Nested
    class OtherArchitectures {
        @Test
        void aarch64HasFeaturesAndAnImplementerButNoSignature() {
            assertThat(parse(AARCH64)).isEqualTo(new CpuInfo("aarch64", "ARM", null, null, null, null, null,
                    List.of("aes", "asimd", "atomics", "cpuid", "crc32", "evtstrm", "fp", "pmull", "sha1", "sha2"), 2));
        }

        @Test
        void thirtyTwoBitArmTakesItsArchitectureFromTheProcessorName() {
            CpuInfo info = parse(ARMV7);
            assertThat(info.arch()).isEqualTo("armv7l");
            assertThat(info.modelName()).isEqualTo("ARMv7 Processor rev 4 (v7l)");
            assertThat(info.vendor()).isEqualTo("ARM");
        }

        @Test
        void oldArmKernelsNameTheProcessorWithACapital() {
            CpuInfo info = parse("Processor\t: ARMv6-compatible processor rev 7 (v6l)\nCPU implementer\t: 0x41\n"
                    + "CPU architecture: 7\n");
            assertThat(info.arch()).isEqualTo("armv6l");
            assertThat(info.modelName()).isEqualTo("ARMv6-compatible processor rev 7 (v6l)");
        }

        @Test
        void powerHasAModelLineButNoFlags() {
            CpuInfo info = parse(PPC64LE);
            assertThat(info).isEqualTo(new CpuInfo("ppc64", "IBM", "POWER9 (architected), altivec supported",
                    null, null, null, null, List.of(), 2));
        }

        @Test
        void theKernelSaysWhetherPowerRunsLittleEndian() {
            assertThat(CpuInfoProbe.parse(PPC64LE, "ppc64le\n").arch()).isEqualTo("ppc64le");
        }

        @Test
        void s390TakesTheMachineTypeAsModel() {
            CpuInfo info = parse(S390X);
            assertThat(info.arch()).isEqualTo("s390x");
            assertThat(info.vendor()).isEqualTo("IBM");
            assertThat(info.modelName()).isEqualTo("8561");
            assertThat(info.flags()).contains("zarch", "vx", "sie").hasSize(13);
            assertThat(info.processors()).isEqualTo(2);
            assertThat(info.family()).isNull();
        }

        @Test
        void riscvReadsTheIsaLine() {
            CpuInfo info = parse("processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc\nmmu\t\t: sv39\n"
                    + "uarch\t\t: sifive,u74-mc\n");
            assertThat(info.arch()).isEqualTo("riscv64");
            assertThat(info.modelName()).isEqualTo("sifive,u74-mc");
        }
    }

    @Nested
    class Vendors {
        @ParameterizedTest
        @CsvSource({"GenuineIntel, Intel", "AuthenticAMD, AMD", "HygonGenuine, Hygon",
                "CentaurHauls, Zhaoxin CentaurHauls", "GenuineTMx86, GenuineTMx86"})
        void x86VendorsAreNamedAsLibvirtDoesAndUnknownOnesKeptRaw(String vendorId, String expected) {
            assertThat(parse("vendor_id\t: " + vendorId + "\nflags\t: fpu\n").vendor()).isEqualTo(expected);
        }

        @ParameterizedTest
        @CsvSource({"0x41, ARM", "0x42, Broadcom", "0x43, Cavium", "0x48, HiSilicon", "0x4e, NVIDIA",
                "0x50, APM", "0x51, Qualcomm", "0x61, 0x61", "0xc0, Ampere", "0x141, 0x141", "zz, zz"})
        void armImplementersAreNamedAsLibvirtDoesAndUnknownOnesKeptRaw(String implementer, String expected) {
            assertThat(parse("CPU implementer\t: " + implementer + "\nCPU architecture: 8\n").vendor())
                    .isEqualTo(expected);
        }

        @Test
        void powerPcOtherThanPowerHasNoVendor() {
            assertThat(parse("processor\t: 0\ncpu\t\t: e500mc\n").vendor()).isNull();
        }
    }

    @Nested
    class KernelArchitecture {
        @ParameterizedTest
        @CsvSource({"x86_64, x86_64", "i386, i686", "i586, i686", "i686, i686", "amd64, x86_64", "arm64, aarch64",
                "armv8l, armv7l", "armv7l, armv7l", "ppc64le, ppc64le", "s390x, s390x", "riscv64, riscv64",
                "loongarch64, loongarch64"})
        void unameMachineNamesBecomeLibvirtArchitectures(String uname, String arch) {
            assertThat(CpuInfoProbe.unameArch(uname + "\n")).isEqualTo(arch);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "  ", "x86 64", "X86_64", "x86_64;rm", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "\u00e9"})
        void anythingThatIsNotAMachineNameIsIgnored(String raw) {
            assertThat(CpuInfoProbe.unameArch(raw)).isNull();
        }

        @Test
        void theKernelWinsOverTheInference() {
            // a 32-bit kernel on a 64-bit CPU: the lm flag says x86_64, the kernel knows better
            assertThat(CpuInfoProbe.parse(X86, "i686").arch()).isEqualTo("i686");
        }
    }

    @Nested
    class Garbage {
        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "\n\n\n", ":", ": : :", "processor", "flags", "key:", "\u0000\u0000"})
        void givesAbsentFieldsNotErrors(String text) {
            CpuInfo info = parse(text);
            assertThat(info.arch()).isNull();
            assertThat(info.vendor()).isNull();
            assertThat(info.flags()).isEmpty();
        }

        @Test
        void badNumbersAreAbsent() {
            CpuInfo info = parse(X86.replace("cpu family\t: 25", "cpu family\t: twenty-five")
                    .replace("0x1000065", "0xzz").replace("stepping\t: 1", "stepping\t: -1"));
            assertThat(info.family()).isNull();
            assertThat(info.microcode()).isNull();
            assertThat(info.stepping()).isNull();
            assertThat(info.model()).isEqualTo(1);
        }

        @Test
        void randomBytesNeverThrow() {
            Random random = new Random(11);
            for (int i = 0; i < 500; i++) {
                byte[] b = new byte[random.nextInt(400)];
                random.nextBytes(b);
                String s = new String(b, StandardCharsets.UTF_8);
                String mixed = random.nextBoolean() ? s : X86.substring(0, random.nextInt(X86.length())) + s;
                assertThatCode(() -> CpuInfoProbe.parse(mixed, s)).doesNotThrowAnyException();
            }
        }
    }

    @Nested
    class Reading {
        @TempDir
        Path root;

        @Test
        void readsCpuinfoAndTheKernelArchitectureUnderTheRoot() {
            new FakeSysfs(root).file("proc/cpuinfo", PPC64LE).file("proc/sys/kernel/arch", "ppc64le\n");
            CpuInfo info = new CpuInfoProbe().probe(HostFiles.of(HostRoot.of(root)));
            assertThat(info.arch()).isEqualTo("ppc64le");
            assertThat(info.modelName()).startsWith("POWER9");
        }

        @Test
        void aRootWithoutProcHasNothingToSay() {
            CpuInfo info = new CpuInfoProbe().probe(HostFiles.of(HostRoot.of(root)));
            assertThat(info).isEqualTo(new CpuInfo(null, null, null, null, null, null, null, List.of(), null));
        }
    }
}
