package io.hostdev.probes.host;

import io.hostdev.probes.host.CpuInfoProbe.CpuInfo;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code *.cpuinfo} sample of libvirt's {@code tests/virhostcpudata} parses, yields the
 * architecture its name gives and the flags its lines list, and where a {@code .signature}
 * file holds libvirt's reading of it, the same vendor, model name and x86 family/model/stepping.
 */
class CpuInfoConformanceTest {

    /** The architectures libvirt's file names carry: {@code linux-ARCH-NAME.cpuinfo}. */
    static final List<String> ARCHES = List.of("x86_64", "aarch64", "ppc64", "ppc", "armv6l", "s390x");

    /**
     * Where the file's content cannot show the architecture its name gives: a POWER7 sample that
     * libvirt runs as 32-bit {@code ppc} (POWER7 is a 64-bit CPU; nothing in cpuinfo says the
     * kernel is 32-bit), and an empty file.
     */
    static final Map<String, String> ARCH_EXCEPTIONS = Map.of(
            "linux-ppc-test1.cpuinfo", "ppc64",
            "linux-aarch64-rhelsa-3.19.0-mustang.cpuinfo", "");

    static final Pattern FLAGS_LINE = Pattern.compile("(?m)^(?:flags|Features|features)\\s*:(.*)$");
    static final Pattern X86_SIGNATURE = Pattern.compile("(\\w+), (.*), family: (\\d+), model: (\\d+), stepping: (\\d+)");
    static final Map<String, String> X86_VENDORS = Map.of("GenuineIntel", "Intel", "AuthenticAMD", "AMD");

    @TestFactory
    List<DynamicTest> everySampleParsesToItsArchitectureFlagsAndSignature() {
        Path dir = Conformance.libvirt("tests/virhostcpudata");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : Conformance.list(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith(".cpuinfo")) {
                tests.add(DynamicTest.dynamicTest(name, () -> check(file, name)));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(20);
        return tests;
    }

    private static void check(Path file, String name) {
        String text = Conformance.read(file);
        CpuInfo info = CpuInfoProbe.parse(text, null);

        String expectedArch = ARCH_EXCEPTIONS.getOrDefault(name, archOf(name));
        assertThat(info.arch()).as("arch").isEqualTo(expectedArch.isEmpty() ? null : expectedArch);
        assertThat(info.flags()).as("flags").isEqualTo(commonFlags(text));

        Path signature = file.resolveSibling(name.replace(".cpuinfo", ".signature"));
        if (Files.exists(signature)) {
            checkSignature(info, Conformance.read(signature).strip());
        }
    }

    private static String archOf(String name) {
        return ARCHES.stream().filter(a -> name.startsWith("linux-" + a + "-")).findFirst().orElseThrow();
    }

    /** The flags every flags line lists, computed here independently of the parser. */
    private static List<String> commonFlags(String text) {
        Set<String> common = null;
        Matcher m = FLAGS_LINE.matcher(text);
        while (m.find()) {
            Set<String> these = new TreeSet<>(List.of(m.group(1).strip().split("\\s+")));
            these.remove("");
            if (common == null) {
                common = these;
            } else {
                common.retainAll(these);
            }
        }
        return common == null ? List.of() : List.copyOf(common);
    }

    /** libvirt's signatures: x86 {@code VENDOR, NAME, family: F, model: M, stepping: S}; POWER {@code CPU, rev ...}; s390 {@code IBM/S390, ..., machine = M, ...}. */
    private static void checkSignature(CpuInfo info, String signature) {
        Matcher x86 = X86_SIGNATURE.matcher(signature);
        if (x86.matches()) {
            assertThat(info.vendor()).as("vendor").isEqualTo(X86_VENDORS.get(x86.group(1)));
            assertThat(info.modelName()).as("model name").isEqualTo(x86.group(2));
            assertThat(info.family()).as("family").isEqualTo(Integer.parseInt(x86.group(3)));
            assertThat(info.model()).as("model").isEqualTo(Integer.parseInt(x86.group(4)));
            assertThat(info.stepping()).as("stepping").isEqualTo(Integer.parseInt(x86.group(5)));
        } else if (signature.startsWith("IBM/S390")) {
            Matcher machine = Pattern.compile("machine = (\\w+)").matcher(signature);
            assertThat(machine.find()).isTrue();
            assertThat(info.vendor()).isEqualTo("IBM");
            assertThat(info.modelName()).isEqualTo(machine.group(1));
        } else {
            assertThat(signature).as("a POWER signature").startsWith(info.modelName() + ", rev ");
            assertThat(info.vendor()).isEqualTo("IBM");
        }
    }
}
