package io.hostdev.probes.sysfs;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.Capability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the whole sysfs probe over a FakeSysfs tree, so reader tests also prove registration. */
final class BusScans {

    /**
     * Bytes no kernel prints: invalid UTF-8, a NUL, a carriage return, a sign and a non-ASCII
     * digit ('١', ARABIC-INDIC DIGIT ONE), which {@link Long#parseLong} would happily accept.
     */
    static final byte[] GARBAGE = concat(new byte[] {(byte) 0xff, (byte) 0xc3, 0x28, 0x00, '\r', '+'},
            "\u0661\n".getBytes(StandardCharsets.UTF_8));

    private BusScans() {
    }

    static DeviceTree scan(Path root) {
        SysfsScan scan = new SysfsProbe().probe(HostFiles.of(HostRoot.of(root)));
        assertThat(scan.problems()).as("reader failures are reported as problems").isEmpty();
        return scan.tree();
    }

    static Device device(DeviceTree tree, String name) {
        return tree.get(name).orElseThrow(() -> new AssertionError("no device " + name + " in "
                + tree.devices().stream().map(Device::name).toList()));
    }

    static <T extends Capability> T cap(DeviceTree tree, String name, Class<T> type) {
        Device d = device(tree, name);
        return d.capabilities().stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError(name + " has no " + type.getSimpleName() + ": "
                        + d.capabilityTypes()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
