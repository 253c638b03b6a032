package io.hostdev.tests;

import io.hostdev.exporters.libvirt.LibvirtView;
import io.hostdev.exporters.libvirt.NodeDeviceXmlReader;
import io.hostdev.exporters.libvirt.testing.LibvirtSchemas;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.probes.HostRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code list --output xml} and {@code show --output xml} on the machine the tests run on. */
class LibvirtXmlTest {

    @BeforeAll
    static void needsSysfs() {
        assumeTrue(Files.isDirectory(HostRoot.live().sys().resolve("class")), "no sysfs on this machine: skipped");
    }

    static Map<String, Device> xmlListing() {
        CliRunner.Result r = CliRunner.run("list", "--output", "xml");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("<devices>\n").endsWith("</devices>\n");
        return LibvirtSchemas.deviceDocuments(r.out()).stream()
                .map(doc -> NodeDeviceXmlReader.read(doc).orElseThrow(() -> new AssertionError("unreadable:\n" + doc)))
                .collect(Collectors.toMap(Device::name, Function.identity()));
    }

    @Test
    void everyDocumentOfThisHostValidatesAgainstNodedevRng() {
        LibvirtSchemas.require();
        CliRunner.Result r = CliRunner.run("list", "--output", "xml");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> documents = LibvirtSchemas.deviceDocuments(r.out());
        assertThat(documents).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (String doc : documents) {
            List<String> errors = LibvirtSchemas.nodedevErrors(doc);
            if (!errors.isEmpty()) {
                problems.add(errors + "\n" + doc);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void thisHostsCapabilitiesDocumentValidatesAgainstCapabilityRng() {
        LibvirtSchemas.require();
        CliRunner.Result r = CliRunner.run("capabilities", "--output", "xml", "--machine-cache", "none");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("<capabilities>").contains("<arch>");
        assertThat(LibvirtSchemas.capabilityErrors(r.out())).isEmpty();
    }

    @Test
    void everyXmlParentIsAnAncestorInTheTreeAndNoDeviceIsSkippedOver() {
        // other tests create and remove devices meanwhile: judge only devices in both tree listings
        DeviceTree tree = CliRunner.listTree();
        Map<String, Device> xml = xmlListing();
        DeviceTree again = CliRunner.listTree();
        assertThat(xml).containsKey(DeviceTree.ROOT);
        for (Device d : xml.values()) {
            if (d.isRoot() || tree.get(d.name()).isEmpty() || again.get(d.name()).isEmpty()) {
                continue;
            }
            List<String> ancestors = tree.ancestors(d.name()).stream().map(Device::name).toList();
            assertThat(ancestors).as("ancestors of %s", d.name()).contains(d.parent());
            // nothing between the device and its XML parent is itself in the view
            for (String between : ancestors.subList(0, ancestors.indexOf(d.parent()))) {
                assertThat(xml).as("%s lies between %s and its XML parent", between, d.name()).doesNotContainKey(between);
            }
        }
        // every device left out has a reason, and every device with a libvirt form is in
        for (Device d : tree.devices()) {
            if (again.get(d.name()).isEmpty()) {
                continue;
            }
            Optional<String> why = LibvirtView.exclusion(d);
            assertThat(xml.containsKey(d.name())).as("%s: %s", d.name(), why.orElse("has a libvirt form"))
                    .isEqualTo(why.isEmpty() || d.isRoot());
        }
    }

    @Test
    void showOfADeviceOutsideTheViewFailsAndOfOneInsideItPrintsOneDocument() {
        DeviceTree tree = CliRunner.listTree();
        Optional<Device> outside = tree.devices().stream().filter(d -> LibvirtView.exclusion(d).isPresent()).findFirst();
        assumeTrue(outside.isPresent(), "every device of this host has a libvirt form");
        CliRunner.Result r = CliRunner.run("show", outside.get().name(), "--output", "xml");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("hostdev: " + outside.get().name() + " is not a libvirt node device: ");

        CliRunner.Result root = CliRunner.run("show", "computer", "--output", "xml");
        assertThat(root.exitCode()).as(root.err()).isZero();
        assertThat(root.out()).startsWith("<device>\n  <name>computer</name>\n").endsWith("</device>\n")
                .contains("<capability type='system'>");
    }

    @Test
    void aVethPairAndABridgeAppearInTheXmlUnderComputer() {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: live device creation skipped");
        assumeTrue(LiveHostTest.exec("ip", "-V") == 0, "no iproute2 'ip': live device creation skipped");
        String veth = "hdx" + LiveHostTest.suffix();
        String bridge = "hdy" + LiveHostTest.suffix();
        try {
            assertThat(LiveHostTest.exec("ip", "link", "add", veth, "type", "veth", "peer", "name", veth + "p")).isZero();
            assertThat(LiveHostTest.exec("ip", "link", "add", bridge, "type", "bridge")).isZero();
            Map<String, Device> xml = xmlListing();
            for (String iface : List.of(veth, veth + "p", bridge)) {
                Device d = xml.values().stream().filter(x -> x.name().startsWith("net_" + iface + "_")).findFirst()
                        .orElseThrow(() -> new AssertionError(iface + " not in the XML listing"));
                assertThat(d.parent()).isEqualTo(DeviceTree.ROOT);
                assertThat(d.path()).isEqualTo("/sys/devices/virtual/net/" + iface);
                CliRunner.Result show = CliRunner.run("show", iface, "--output", "xml");
                assertThat(show.exitCode()).as(show.err()).isZero();
                assertThat(show.out()).contains("<interface>" + iface + "</interface>", "<capability type='80203'/>");
                if (LibvirtSchemas.conformance().isPresent()) {
                    assertThat(LibvirtSchemas.nodedevErrors(show.out())).isEmpty();
                }
            }
        } finally {
            LiveHostTest.exec("ip", "link", "del", veth);
            LiveHostTest.exec("ip", "link", "del", bridge);
        }
    }
}
