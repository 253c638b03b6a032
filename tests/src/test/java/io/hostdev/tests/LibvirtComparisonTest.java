package io.hostdev.tests;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Side by side with a real libvirt on the same machine: every device libvirt lists appears in
 * hostdev under the same name, and libvirt's parent is that device's parent or an ancestor of it in
 * hostdev's (finer) tree. Runs only where {@code virsh} can reach a libvirt daemon (set
 * {@code HOSTDEV_LIBVIRT_URI}, default {@code qemu:///system}); skipped otherwise.
 */
class LibvirtComparisonTest {

    static final String URI = System.getenv().getOrDefault("HOSTDEV_LIBVIRT_URI", "qemu:///system");
    static final Pattern PARENT = Pattern.compile("<parent>([^<]+)</parent>");

    static List<String> libvirtNames;

    @BeforeAll
    static void needsLibvirt() {
        String list = virsh("nodedev-list");
        assumeTrue(list != null, "no libvirt daemon reachable through virsh at " + URI + ": comparison skipped");
        libvirtNames = list.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        assumeTrue(!libvirtNames.isEmpty(), "libvirt lists no devices: comparison skipped");
    }

    @Test
    void everyLibvirtDeviceHasTheSameNameAndAnAncestorAsParent() {
        DeviceTree tree = CliRunner.listTree();
        Map<String, String> libvirtParents = new LinkedHashMap<>();
        for (String name : libvirtNames) {
            String xml = virsh("nodedev-dumpxml", name);
            if (xml == null) {
                continue; // vanished between list and dump
            }
            Matcher m = PARENT.matcher(xml);
            libvirtParents.put(name, m.find() ? m.group(1) : null);
        }
        List<String> problems = new ArrayList<>();
        libvirtParents.forEach((name, parent) -> {
            if (tree.get(name).isEmpty()) {
                problems.add(name + ": not listed by hostdev");
            } else if (parent != null && tree.ancestors(name).stream().map(Device::name).noneMatch(parent::equals)) {
                problems.add(name + ": libvirt parent " + parent + " is not an ancestor in hostdev ("
                        + tree.ancestors(name).stream().map(Device::name).toList() + ")");
            }
        });
        assertThat(problems).isEmpty();
        assertThat(tree.size()).isGreaterThanOrEqualTo(libvirtParents.size());
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
