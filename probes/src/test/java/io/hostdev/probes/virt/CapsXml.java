package io.hostdev.probes.virt;

import io.hostdev.model.host.Guest;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The guest part of libvirt's capabilities XML reduced to comparable values, and the same view of
 * our {@link Guest} records: what the conformance and live tests compare. Not an exporter: the
 * XML exporter is built elsewhere; this only reads libvirt's documents.
 */
final class CapsXml {

    private CapsXml() {
    }

    record MachineView(String name, String canonical, Integer maxCpus, boolean deprecated) {
    }

    record GuestView(String osType, String arch, int wordsize, String emulator, String loader,
            List<MachineView> machines, List<String> domains, List<String> features) {

        /** The fields the Xen conformance cases compare (all but the emulator, which the host arch decides). */
        GuestView withoutEmulator() {
            return new GuestView(osType, arch, wordsize, null, loader, machines, domains, features);
        }

        GuestView withoutMachines() {
            return new GuestView(osType, arch, wordsize, emulator, loader, List.of(), domains, features);
        }
    }

    /** The host's {@code <cpu><arch>} of a capabilities document. */
    static String hostArch(String xml) {
        Element host = first(parse(xml).getDocumentElement(), "host");
        Element cpu = host == null ? null : first(host, "cpu");
        return cpu == null ? null : text(first(cpu, "arch"));
    }

    /** Every {@code <guest>} of a capabilities document, sorted by (os_type, arch). */
    static List<GuestView> guests(String xml) {
        List<GuestView> out = new ArrayList<>();
        for (Element g : children(parse(xml).getDocumentElement(), "guest")) {
            Element arch = first(g, "arch");
            List<MachineView> machines = new ArrayList<>();
            for (Element m : children(arch, "machine")) {
                String max = m.getAttribute("maxCpus");
                machines.add(new MachineView(m.getTextContent().strip(), blankToNull(m.getAttribute("canonical")),
                        max.isEmpty() ? null : Integer.valueOf(max), "yes".equals(m.getAttribute("deprecated"))));
            }
            List<String> domains = children(arch, "domain").stream().map(d -> d.getAttribute("type")).toList();
            List<String> features = new ArrayList<>();
            Element f = first(g, "features");
            if (f != null) {
                for (Element e : children(f, null)) {
                    String s = e.getTagName();
                    if (e.hasAttribute("default")) {
                        s += " default=" + e.getAttribute("default") + " toggle=" + e.getAttribute("toggle");
                    }
                    features.add(s);
                }
            }
            out.add(new GuestView(text(first(g, "os_type")), arch.getAttribute("name"),
                    Integer.parseInt(text(first(arch, "wordsize"))), text(first(arch, "emulator")),
                    text(first(arch, "loader")), sortedMachines(machines), domains, sorted(features)));
        }
        out.sort(Comparator.comparing(GuestView::osType).thenComparing(GuestView::arch));
        return out;
    }

    /** Our guests in the same view. */
    static List<GuestView> view(List<Guest> guests) {
        List<GuestView> out = new ArrayList<>();
        for (Guest g : guests) {
            out.add(new GuestView(g.osType(), g.arch(), g.wordsize(), g.emulator(), g.loader(),
                    sortedMachines(g.machines().stream()
                            .map(m -> new MachineView(m.name(), m.canonical(), m.maxCpus(), m.deprecated())).toList()),
                    g.domains().stream().map(Guest.Domain::type).toList(), features(g.features())));
        }
        out.sort(Comparator.comparing(GuestView::osType).thenComparing(GuestView::arch));
        return out;
    }

    /** libvirt's feature element names, with default/toggle where the feature has them. */
    static List<String> features(Guest.Features f) {
        List<String> out = new ArrayList<>();
        if (f == null) {
            return out;
        }
        if (f.pae()) {
            out.add("pae");
        }
        if (f.nonpae()) {
            out.add("nonpae");
        }
        if (f.ia64Be()) {
            out.add("ia64_be");
        }
        toggle(out, "acpi", f.acpi());
        toggle(out, "apic", f.apic());
        if (f.cpuselection()) {
            out.add("cpuselection");
        }
        if (f.deviceboot()) {
            out.add("deviceboot");
        }
        toggle(out, "disksnapshot", f.disksnapshot());
        toggle(out, "hap", f.hap());
        if (f.externalSnapshot()) {
            out.add("externalSnapshot");
        }
        return sorted(out);
    }

    private static void toggle(List<String> out, String name, Guest.Features.Toggle t) {
        if (t != null) {
            out.add(name + " default=" + (t.on() ? "on" : "off") + " toggle=" + (t.toggle() ? "yes" : "no"));
        }
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    private static List<MachineView> sortedMachines(List<MachineView> l) {
        return l.stream().sorted(Comparator.comparing(MachineView::name)).toList();
    }

    static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new IllegalArgumentException("not a capabilities document: " + e.getMessage(), e);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element first(Element parent, String name) {
        List<Element> l = children(parent, name);
        return l.isEmpty() ? null : l.get(0);
    }

    private static String text(Element e) {
        return e == null ? null : blankToNull(e.getTextContent().strip());
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
