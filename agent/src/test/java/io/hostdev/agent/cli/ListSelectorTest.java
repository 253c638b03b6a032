package io.hostdev.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.model.ModelJson;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hostdev list --selector}, {@code --fields}, {@code --buses}, {@code --caps}: the real CLI over a small host. */
class ListSelectorTest {

    static final String ETH0 = "net_eth0_02_fc_00_00_00_01";

    @TempDir
    Path root;

    record Run(int code, String out, String err) {
    }

    Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--root");
        all.add(root.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void host() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.busDevice("pci0000:00/0000:00:03.0", "pci").uevent("PCI_SLOT_NAME=0000:00:03.0", "PCI_ID=1AF4:1041",
                "PCI_CLASS=20000").driver("pci", "virtio-pci").attr("vendor", "0x1af4").attr("device", "0x1041")
                .attr("class", "0x020000");
        fs.busDevice("pci0000:00/0000:00:03.0/virtio2", "virtio").driver("virtio", "virtio_net").attr("device", "0x0001");
        fs.classDevice("pci0000:00/0000:00:03.0/virtio2/net/eth0", "net").uevent("INTERFACE=eth0", "IFINDEX=2")
                .attr("address", "02:fc:00:00:00:01").attr("operstate", "up").attr("mtu", "1500")
                .attr("iflink", "2").attr("ifindex", "2").attr("type", "1")
                .link("device", "sys/devices/pci0000:00/0000:00:03.0/virtio2");
        fs.busDevice("pci0000:00/0000:00:04.0", "pci").uevent("PCI_SLOT_NAME=0000:00:04.0", "PCI_ID=1AF4:1042",
                "PCI_CLASS=10000").driver("pci", "virtio-pci").attr("vendor", "0x1af4").attr("device", "0x1042")
                .attr("class", "0x010000");
        fs.busDevice("pci0000:00/0000:00:04.0/virtio3", "virtio").driver("virtio", "virtio_blk").attr("device", "0x0002");
        fs.classDevice("pci0000:00/0000:00:04.0/virtio3/block/vda", "block")
                .uevent("MAJOR=254", "MINOR=0", "DEVNAME=vda", "DEVTYPE=disk").attr("size", "2048");
        fs.classDevice("virtual/block/loop0", "block").uevent("MAJOR=7", "MINOR=0", "DEVNAME=loop0", "DEVTYPE=disk");
        fs.classDevice("virtual/net/lo", "net").uevent("INTERFACE=lo", "IFINDEX=1").attr("address", "00:00:00:00:00:00")
                .attr("operstate", "unknown").attr("mtu", "65536").attr("ifindex", "1").attr("type", "772");
        fs.classDevice("virtual/tty/ttyS0", "tty").uevent("DEVNAME=ttyS0");
    }

    @Nested
    class Selecting {

        @Test
        void theSeedSelectorListsTheInterfacesOnPci() throws Exception {
            Run r = run("list", "--selector", "bus='pci' and cap='net'", "-o", "json");
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode doc = ModelJson.reader().readTree(r.out());
            assertThat(doc.get("devices")).hasSize(1);
            assertThat(doc.at("/devices/0/name").asText()).isEqualTo(ETH0);
            assertThat(doc.at("/summary/total").asInt()).isEqualTo(1);
            assertThat(doc.at("/summary/by_subsystem/net").asInt()).isEqualTo(1);
            assertThat(run("list", "-s", "bus == \"pci\" && cap == \"net\"", "-o", "json").out()).isEqualTo(r.out());
        }

        @Test
        void everyFormatIsFiltered() {
            String sel = "cap = 'storage' and storage.size > 0";
            assertThat(run("list", "-s", sel).out()).isEqualTo("""
                    NAME       SUBSYSTEM  PARENT          DESCRIPTION
                    block_vda  block      virtio_virtio3  disk 1.0 MiB

                    1 device; by subsystem: block 1; excluded: none
                    """);
            assertThat(run("list", "-s", sel, "-o", "yaml").out()).startsWith("devices:\n- name: \"block_vda\"\n")
                    .doesNotContain("loop0");
            assertThat(run("list", "-s", sel, "--summary").out()).contains("block      1\n", "total      1\n");
            String xml = run("list", "-s", sel, "-o", "xml").out();
            assertThat(xml).startsWith("<devices>\n  <device>\n    <name>block_vda</name>\n").endsWith("  </device>\n</devices>\n");
            assertThat(xml.split("<device>", -1)).hasSize(2);
        }

        @Test
        void theTreeShowsTheMatchesUnderTheirAncestorsInParentheses() {
            Run r = run("list", "--tree", "--selector", "cap = net");
            assertThat(r.out()).isEqualTo("""
                    (computer)
                      +- net_lo_00_00_00_00_00_00  lo loopback unknown 00:00:00:00:00:00
                      +- (pci_0000_00_03_0)
                          +- (virtio_virtio2)
                              +- net_eth0_02_fc_00_00_00_01  eth0 up 02:fc:00:00:00:01

                    2 devices; by subsystem: net 2; excluded: none
                    """);
            assertThat(run("list", "--tree", "-s", "name = nothing").out())
                    .isEqualTo("0 devices; by subsystem: ; excluded: none\n");
        }

        @Test
        void theXmlOfTheSelectedDevicesIsTheirPartOfTheFullListing() {
            String full = run("list", "-o", "xml").out();
            String pci = run("list", "-o", "xml", "-s", "cap = pci").out();
            assertThat(pci).startsWith("<devices>\n").endsWith("</devices>\n");
            for (String element : pci.substring("<devices>\n".length(), pci.length() - "</devices>\n".length())
                    .split("(?<=  </device>\n)")) {
                assertThat(full).contains(element);
            }
            assertThat(pci.split("<device>", -1)).hasSize(3);
            assertThat(run("list", "-o", "xml", "-s", "name = nothing").out()).isEqualTo("<devices/>\n");
            assertThat(run("list", "-o", "xml", "-s", "exists(name)").out()).isEqualTo(full);
        }

        @Test
        void aBadSelectorPrintsWhereAndWhatAndExitsWithTheUsageCode() {
            Run r = run("list", "--selector", "bus='pci' and");
            assertThat(r.code()).isEqualTo(Cli.USAGE);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("""
                    hostdev: bad selector: at column 14: expected a condition after 'and', found end of input
                      bus='pci' and
                                   ^
                    """);
            Run typo = run("list", "-s", "pci.vendr.id = 0x8086");
            assertThat(typo.code()).isEqualTo(Cli.USAGE);
            assertThat(typo.err()).startsWith("hostdev: bad selector: at column 1: unknown field 'pci.vendr.id'; "
                    + "did you mean pci.vendor.id?\n");
        }
    }

    @Nested
    class Vocabulary {

        @Test
        void fieldsAreListedWithTheirTypeAndHowManyDevicesHaveThem() {
            Run r = run("list", "--fields");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("FIELD ").contains("\nnet.mtu  ", "\npci.vendor.id  ")
                    .containsPattern("\\nnet\\.interface +string +2\\n").containsPattern("\\nstorage\\.size +integer +1\\n")
                    .containsPattern("\\nbus +string +6\\n");
        }

        @Test
        void busesAndCapsCountWhatBusAndCapSelect() throws Exception {
            assertThat(run("list", "--buses").out()).isEqualTo("""
                    BUS     DEVICES
                    pci     6
                    virtio  4
                    """);
            assertThat(run("list", "--caps").out()).contains("\nnet      2\n", "\nstorage  2\n");
            assertThat(run("list", "--caps", "-s", "bus = pci").out()).doesNotContain("generic").contains("pci  ");
            JsonNode doc = ModelJson.reader().readTree(run("list", "--fields", "-o", "json").out());
            assertThat(doc.at("/fields/net.mtu/type").asText()).isEqualTo("integer");
            assertThat(doc.at("/fields/net.mtu/devices").asInt()).isEqualTo(2);
            assertThat(ModelJson.reader().readTree(run("list", "--buses", "-o", "json").out()).at("/buses/pci").asInt())
                    .isEqualTo(6);
        }

        @Test
        void onlyOneListingAtATimeAndOnlyAsTableOrJson() {
            assertThat(run("list", "--buses", "--caps").code()).isEqualTo(Cli.USAGE);
            Run xml = run("list", "--fields", "-o", "xml");
            assertThat(xml.code()).isEqualTo(Cli.USAGE);
            assertThat(xml.err()).contains("--fields, --buses and --caps print a table or json, not xml");
        }
    }
}
