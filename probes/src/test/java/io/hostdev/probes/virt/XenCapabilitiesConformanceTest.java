package io.hostdev.probes.virt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * libvirt's legacy Xen driver's own test cases ({@code xencapsdata}: the capabilities string and
 * the cpuinfo it was given, the capabilities document it produced): our guests must equal the
 * document's in os type, arch, word size, machines, domain types, loader and features.
 *
 * <p>The host arch comes from the case's cpuinfo through the CPU probe's parser. It decides only
 * the emulator path, which is therefore compared separately, with
 * the host arch libvirt's test passed in (the document's own {@code <host><cpu><arch>}): a cpuinfo
 * cannot tell a 32-bit Xen on a 64-bit-capable CPU from a 64-bit one.
 */
class XenCapabilitiesConformanceTest {

    static final String DIR = "libvirt/libvirt-1.3.5-xen/tests/xencapsdata";

    static Stream<String> cases() throws IOException {
        Path dir = Conformance.require(DIR);
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".caps"))
                    .map(n -> n.substring(0, n.length() - ".caps".length())).sorted().toList().stream();
        }
    }

    static String read(String name) {
        try {
            return Files.readString(Conformance.require(DIR).resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void thereAreTenCases() throws IOException {
        assertThat(cases()).hasSize(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void guestsMatchLibvirts(String name) {
        String hostArch = io.hostdev.probes.host.CpuInfoProbe.parse(read(name + ".cpuinfo"), null).arch();
        List<CapsXml.GuestView> ours = CapsXml.view(XenProbe.guests(read(name + ".caps"), hostArch,
                XenProbe.DeviceModel.DEFAULT));
        List<CapsXml.GuestView> libvirts = CapsXml.guests(read(name + ".xml"));
        assertThat(libvirts).isNotEmpty();
        assertThat(ours.stream().map(CapsXml.GuestView::withoutEmulator).toList())
                .isEqualTo(libvirts.stream().map(CapsXml.GuestView::withoutEmulator).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void emulatorPathFollowsTheHostArchLibvirtsTestPassed(String name) {
        String xml = read(name + ".xml");
        List<CapsXml.GuestView> ours = CapsXml.view(XenProbe.guests(read(name + ".caps"), CapsXml.hostArch(xml),
                XenProbe.DeviceModel.DEFAULT));
        assertThat(ours).isEqualTo(CapsXml.guests(xml));
    }
}
