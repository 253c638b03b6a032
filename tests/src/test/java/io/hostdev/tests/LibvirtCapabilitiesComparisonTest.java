package io.hostdev.tests;

import io.hostdev.exporters.libvirt.testing.LibvirtSchemas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code hostdev capabilities --output xml} side by side with {@code virsh capabilities} from a real
 * libvirt on the same machine: host CPU arch, topology, NUMA cells and IOMMU support agree, and
 * every guest libvirt offers is offered with the same machine types and domain types. Runs where
 * {@code virsh} reaches a daemon ({@code HOSTDEV_LIBVIRT_URI}, default {@code qemu:///system});
 * skipped otherwise. UUIDs are not compared: without DMI libvirt makes one up per host.
 */
class LibvirtCapabilitiesComparisonTest {

    static Document ours;
    static Document theirs;

    @BeforeAll
    static void bothDocuments() throws Exception {
        String virsh = LibvirtComparisonTest.virsh("capabilities");
        assumeTrue(virsh != null, "no libvirt daemon reachable through virsh at " + LibvirtComparisonTest.URI
                + ": capabilities comparison skipped");
        CliRunner.Result r = CliRunner.run("capabilities", "--output", "xml", "--machine-cache", "none");
        assertThat(r.exitCode()).as(r.err()).isZero();
        ours = parse(r.out());
        theirs = parse(virsh);
        if (LibvirtSchemas.conformance().isPresent()) {
            assertThat(LibvirtSchemas.capabilityErrors(r.out())).as("our document against capability.rng").isEmpty();
        }
    }

    @Test
    void hostCpuArchAndTopologyAgree() {
        assertThat(text(ours, "/capabilities/host/cpu/arch")).isEqualTo(text(theirs, "/capabilities/host/cpu/arch"));
        Element a = first(ours, "/capabilities/host/cpu/topology");
        Element b = first(theirs, "/capabilities/host/cpu/topology");
        for (String attr : List.of("sockets", "dies", "cores", "threads")) {
            assertThat(a.getAttribute(attr)).as("topology %s", attr).isEqualTo(b.getAttribute(attr));
        }
    }

    @Test
    void iommuSupportAgrees() {
        assertThat(first(ours, "/capabilities/host/iommu").getAttribute("support"))
                .isEqualTo(first(theirs, "/capabilities/host/iommu").getAttribute("support"));
    }

    @Test
    void numaCellsAgreeInMemoryPagesDistancesAndCpus() {
        assertThat(cells(ours)).isEqualTo(cells(theirs));
    }

    @Test
    void everyLibvirtGuestIsOfferedWithTheSameMachinesAndDomainTypes() {
        Map<String, String> mine = guests(ours);
        Map<String, String> libvirts = guests(theirs);
        assertThat(libvirts).isNotEmpty();
        for (Map.Entry<String, String> g : libvirts.entrySet()) {
            assertThat(mine).as("guest %s", g.getKey()).containsKey(g.getKey());
            assertThat(mine.get(g.getKey())).as("guest %s", g.getKey()).isEqualTo(g.getValue());
        }
    }

    /** Each cell as text: id, memory, page sizes and counts, distances, and each CPU's topology ids. */
    static List<String> cells(Document d) {
        List<String> out = new ArrayList<>();
        for (Element cell : all(d, "/capabilities/host/topology/cells/cell")) {
            StringBuilder sb = new StringBuilder("cell " + cell.getAttribute("id"));
            sb.append(" memory ").append(childText(cell, "memory"));
            for (Element p : children(cell, "pages")) {
                sb.append(" pages ").append(p.getAttribute("size")).append('=').append(p.getTextContent().strip());
            }
            for (Element dist : children(first(cell, "distances"), "sibling")) {
                sb.append(" distance ").append(dist.getAttribute("id")).append('=').append(dist.getAttribute("value"));
            }
            for (Element cpu : children(first(cell, "cpus"), "cpu")) {
                sb.append(" cpu ").append(cpu.getAttribute("id")).append(':').append(cpu.getAttribute("socket_id"))
                        .append('/').append(cpu.getAttribute("die_id")).append('/').append(cpu.getAttribute("core_id"))
                        .append('/').append(cpu.getAttribute("siblings"));
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Each guest (os_type/arch) as its sorted domain types and machines (name, canonical, maxCpus). */
    static Map<String, String> guests(Document d) {
        Map<String, String> out = new TreeMap<>();
        for (Element guest : all(d, "/capabilities/guest")) {
            Element arch = first(guest, "arch");
            TreeSet<String> domains = new TreeSet<>();
            children(arch, "domain").forEach(e -> domains.add(e.getAttribute("type")));
            TreeSet<String> machines = new TreeSet<>();
            children(arch, "machine").forEach(m -> machines.add(m.getTextContent().strip() + "|"
                    + m.getAttribute("canonical") + "|" + m.getAttribute("maxCpus")));
            out.put(childText(guest, "os_type") + "/" + arch.getAttribute("name"), domains + " " + machines);
        }
        return out;
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    static List<Element> all(Document d, String path) {
        List<Element> level = List.of(d.getDocumentElement());
        String[] parts = path.substring(1).split("/");
        if (!level.get(0).getTagName().equals(parts[0])) {
            return List.of();
        }
        for (int i = 1; i < parts.length; i++) {
            List<Element> next = new ArrayList<>();
            for (Element e : level) {
                next.addAll(children(e, parts[i]));
            }
            level = next;
        }
        return level;
    }

    static Element first(Document d, String path) {
        List<Element> found = all(d, path);
        assertThat(found).as(path).isNotEmpty();
        return found.get(0);
    }

    static Element first(Element e, String name) {
        List<Element> found = children(e, name);
        return found.isEmpty() ? null : found.get(0);
    }

    static String text(Document d, String path) {
        return first(d, path).getTextContent().strip();
    }

    static String childText(Element e, String name) {
        Element c = first(e, name);
        return c == null ? null : c.getTextContent().strip();
    }

    static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        if (e == null) {
            return out;
        }
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element c && c.getTagName().equals(name)) {
                out.add(c);
            }
        }
        return out;
    }
}
