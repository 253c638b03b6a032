package io.hostdev.tests;

import io.hostdev.exporters.libvirt.NodeDeviceXmlReader;
import io.hostdev.exporters.libvirt.testing.LibvirtSchemas;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Side by side with a real libvirt on the same machine: every device libvirt lists appears in
 * hostdev under the same name, libvirt's parent is that device's parent or an ancestor of it in
 * hostdev's (finer) tree, and in hostdev's libvirt XML ({@code list --output xml}) it has exactly
 * libvirt's parent and capability types. Runs only where {@code virsh} can reach a libvirt daemon
 * (set {@code HOSTDEV_LIBVIRT_URI}, default {@code qemu:///system}); skipped otherwise.
 *
 * <p>Without udevd, libvirt sees no device created after it started (docs/libvirt-xml.md); a
 * device it still lists after its removal shows up here as "not listed by hostdev".
 */
class LibvirtComparisonTest {

    static final String URI = System.getenv().getOrDefault("HOSTDEV_LIBVIRT_URI", "qemu:///system");
    static final Pattern PARENT = Pattern.compile("<parent>([^<]+)</parent>");
    static final Pattern TOP_LEVEL_CAPABILITY = Pattern.compile("(?m)^  <capability type='([^']+)'");

    /** libvirt's node-device documents by name, as {@code virsh nodedev-dumpxml} prints them. */
    static Map<String, String> libvirtDocuments;

    @BeforeAll
    static void needsLibvirt() {
        String list = virsh("nodedev-list");
        assumeTrue(list != null, "no libvirt daemon reachable through virsh at " + URI + ": comparison skipped");
        List<String> names = list.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        assumeTrue(!names.isEmpty(), "libvirt lists no devices: comparison skipped");
        libvirtDocuments = new LinkedHashMap<>();
        for (String name : names) {
            String xml = virsh("nodedev-dumpxml", name);
            if (xml != null) { // else it vanished between list and dump
                libvirtDocuments.put(name, xml);
            }
        }
    }

    @Test
    void everyLibvirtDeviceHasTheSameNameAndAnAncestorAsParent() {
        DeviceTree tree = CliRunner.listTree();
        List<String> problems = new ArrayList<>();
        libvirtDocuments.forEach((name, xml) -> {
            Matcher m = PARENT.matcher(xml);
            String parent = m.find() ? m.group(1) : null;
            if (tree.get(name).isEmpty()) {
                problems.add(name + ": not listed by hostdev");
            } else if (parent != null && tree.ancestors(name).stream().map(Device::name).noneMatch(parent::equals)) {
                problems.add(name + ": libvirt parent " + parent + " is not an ancestor in hostdev ("
                        + tree.ancestors(name).stream().map(Device::name).toList() + ")");
            }
        });
        assertThat(problems).isEmpty();
        assertThat(tree.size()).isGreaterThanOrEqualTo(libvirtDocuments.size());
    }

    @Test
    void ourXmlGivesEveryLibvirtDeviceLibvirtsParentAndCapabilityTypes() {
        CliRunner.Result r = CliRunner.run("list", "--output", "xml");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, String> ours = new LinkedHashMap<>();
        for (String doc : LibvirtSchemas.deviceDocuments(r.out())) {
            ours.put(NodeDeviceXmlReader.read(doc).map(Device::name).orElseThrow(), doc);
        }
        List<String> problems = new ArrayList<>();
        libvirtDocuments.forEach((name, theirs) -> {
            String mine = ours.get(name);
            if (mine == null) {
                problems.add(name + ": not in hostdev's XML");
                return;
            }
            Device a = NodeDeviceXmlReader.read(theirs).orElseThrow();
            Device b = NodeDeviceXmlReader.read(mine).orElseThrow();
            if (!java.util.Objects.equals(a.parent(), b.parent())) {
                problems.add(name + ": parent " + b.parent() + ", libvirt's is " + a.parent());
            }
            if (!capabilityTypes(theirs).equals(capabilityTypes(mine))) {
                problems.add(name + ": capabilities " + capabilityTypes(mine) + ", libvirt's are "
                        + capabilityTypes(theirs));
            }
        });
        assertThat(problems).isEmpty();
        assertThat(ours.size()).isGreaterThanOrEqualTo(libvirtDocuments.size());
    }

    static TreeSet<String> capabilityTypes(String xml) {
        TreeSet<String> types = new TreeSet<>();
        Matcher m = TOP_LEVEL_CAPABILITY.matcher(xml);
        while (m.find()) {
            types.add(m.group(1));
        }
        return types;
    }

    static String virsh(String... args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", URI));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
