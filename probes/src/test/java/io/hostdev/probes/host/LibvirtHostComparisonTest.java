package io.hostdev.probes.host;

import io.hostdev.model.host.CacheBank;
import io.hostdev.model.host.Host;
import io.hostdev.model.host.HostCpu;
import io.hostdev.model.host.NumaCell;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The host probe on this machine side by side with {@code virsh capabilities} from a real libvirt
 * daemon on it: architecture, CPU topology, NUMA cells (memory, page pools, distances, each CPU's
 * ids and siblings), IOMMU support and cache banks agree. Runs only where {@code virsh} reaches a
 * daemon ({@code HOSTDEV_LIBVIRT_URI}, default {@code qemu:///system}); skipped otherwise.
 *
 * <p>Allowed differences, by libvirt version: releases before 10 print no {@code cluster_id}
 * and no {@code clusters}, and list caches of level 3 and up only; the comparison takes what
 * the daemon prints.
 */
class LibvirtHostComparisonTest {

    static final String URI = System.getenv().getOrDefault("HOSTDEV_LIBVIRT_URI", "qemu:///system");

    static Element libvirtHost;
    static Host host;

    @BeforeAll
    static void needsLibvirt() throws Exception {
        String xml = virsh("capabilities");
        assumeTrue(xml != null, "no libvirt daemon reachable through virsh at " + URI + ": comparison skipped");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        libvirtHost = (Element) doc.getDocumentElement().getElementsByTagName("host").item(0);
        host = new HostProbe().probe(HostFiles.of(HostRoot.live()));
    }

    @Test
    void architectureAndTopologyAgree() {
        Element cpu = child(libvirtHost, "cpu");
        assertThat(host.cpu().arch()).isEqualTo(child(cpu, "arch").getTextContent().strip());
        Element topology = child(cpu, "topology");
        HostCpu.Topology ours = host.cpu().topology();
        assertThat(ours.sockets()).isEqualTo(Integer.parseInt(topology.getAttribute("sockets")));
        assertThat(ours.dies()).isEqualTo(Integer.parseInt(topology.getAttribute("dies")));
        if (topology.hasAttribute("clusters")) {
            assertThat(ours.clusters()).isEqualTo(Integer.parseInt(topology.getAttribute("clusters")));
        }
        assertThat(ours.cores()).isEqualTo(Integer.parseInt(topology.getAttribute("cores")));
        assertThat(ours.threads()).isEqualTo(Integer.parseInt(topology.getAttribute("threads")));
        List<Long> pageSizes = new ArrayList<>();
        for (Element p : children(cpu, "pages")) {
            pageSizes.add(Long.parseLong(p.getAttribute("size")));
        }
        assertThat(host.cpu().pageSizes()).isEqualTo(pageSizes);
    }

    @Test
    void numaCellsAgree() {
        List<Element> cells = all(child(libvirtHost, "topology"), "cell");
        assertThat(host.cells()).extracting(NumaCell::id)
                .isEqualTo(cells.stream().map(c -> Integer.parseInt(c.getAttribute("id"))).toList());
        for (int i = 0; i < cells.size(); i++) {
            Element cell = cells.get(i);
            NumaCell ours = host.cells().get(i);
            assertThat(ours.memory()).isEqualTo(Long.parseLong(child(cell, "memory").getTextContent().strip()));

            Map<Long, Long> pages = new TreeMap<>();
            for (Element p : children(cell, "pages")) {
                pages.put(Long.parseLong(p.getAttribute("size")), Long.parseLong(p.getTextContent().strip()));
            }
            Map<Long, Long> ourPages = new TreeMap<>();
            ours.pages().forEach(p -> ourPages.put(p.size(), p.count()));
            assertThat(ourPages).isEqualTo(pages);

            List<NumaCell.Distance> distances = new ArrayList<>();
            for (Element s : all(cell, "sibling")) {
                distances.add(new NumaCell.Distance(Integer.parseInt(s.getAttribute("id")),
                        Integer.parseInt(s.getAttribute("value"))));
            }
            assertThat(ours.distances()).isEqualTo(distances);

            List<Element> cpus = all(cell, "cpu");
            assertThat(ours.cpus()).hasSameSizeAs(cpus);
            for (int c = 0; c < cpus.size(); c++) {
                Element e = cpus.get(c);
                NumaCell.Cpu cpu = ours.cpus().get(c);
                assertThat(cpu.id()).isEqualTo(Integer.parseInt(e.getAttribute("id")));
                assertThat(cpu.socketId()).isEqualTo(Integer.valueOf(e.getAttribute("socket_id")));
                assertThat(cpu.dieId()).isEqualTo(Integer.valueOf(e.getAttribute("die_id")));
                if (e.hasAttribute("cluster_id")) {
                    assertThat(cpu.clusterId()).isEqualTo(Integer.valueOf(e.getAttribute("cluster_id")));
                }
                assertThat(cpu.coreId()).isEqualTo(Integer.valueOf(e.getAttribute("core_id")));
                assertThat(cpu.siblings()).isEqualTo(e.getAttribute("siblings"));
            }
        }
    }

    @Test
    void iommuSupportAgrees() {
        assertThat(host.iommu()).isEqualTo("yes".equals(child(libvirtHost, "iommu").getAttribute("support")));
    }

    @Test
    void everyCacheBankLibvirtListsIsOursAndOursOfThoseLevelsAreNoMore() {
        Element cache = child(libvirtHost, "cache");
        List<CacheBank> theirs = new ArrayList<>();
        if (cache != null) {
            for (Element b : children(cache, "bank")) {
                long size = Long.parseLong(b.getAttribute("size"));
                size <<= switch (b.getAttribute("unit")) {
                    case "KiB" -> 10;
                    case "MiB" -> 20;
                    case "GiB" -> 30;
                    default -> 0;
                };
                theirs.add(new CacheBank(Integer.parseInt(b.getAttribute("id")),
                        Integer.parseInt(b.getAttribute("level")), b.getAttribute("type"), size, b.getAttribute("cpus")));
            }
        }
        int lowest = theirs.stream().mapToInt(CacheBank::level).min().orElse(Integer.MAX_VALUE);
        assertThat(host.caches().stream().filter(b -> b.level() >= lowest).toList()).isEqualTo(theirs);
    }

    private static Element child(Element parent, String tag) {
        List<Element> c = children(parent, tag);
        return c.isEmpty() ? null : c.get(0);
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Element> all(Element parent, String tag) {
        NodeList list = parent.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    /** virsh's output, or {@code null} when it fails or takes more than 30 s (output goes to a file, so a hung virsh cannot block the read). */
    static String virsh(String... args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", URI));
        cmd.addAll(List.of(args));
        Path out = null;
        try {
            out = Files.createTempFile("virsh", ".xml");
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }
}
