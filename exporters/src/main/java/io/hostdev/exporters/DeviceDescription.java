package io.hostdev.exporters;

import io.hostdev.model.Device;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.DrmCapability;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.InputCapability;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.ScsiCapability;
import io.hostdev.model.cap.ScsiGenericCapability;
import io.hostdev.model.cap.ScsiHostCapability;
import io.hostdev.model.cap.ScsiTargetCapability;
import io.hostdev.model.cap.SoundCapability;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.SystemCapability;
import io.hostdev.model.cap.UsbDeviceCapability;
import io.hostdev.model.cap.UsbInterfaceCapability;
import io.hostdev.model.cap.VirtioCapability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A short human description of a device for tree and table views: names, state, size, driver. */
public final class DeviceDescription {

    private DeviceDescription() {
    }

    public static String of(Device d) {
        List<String> parts = new ArrayList<>();
        for (Capability c : d.capabilities()) {
            describe(c, parts);
        }
        if (d.driver() != null) {
            parts.add("[" + d.driver() + "]");
        }
        return String.join(" ", parts.stream().filter(s -> s != null && !s.isBlank()).toList());
    }

    private static void describe(Capability c, List<String> parts) {
        if (c instanceof SystemCapability s) {
            parts.add(s.hardware() == null ? null : s.hardware().vendor());
            parts.add(s.product());
        } else if (c instanceof PciCapability p) {
            parts.add(name(p.vendor()));
            parts.add(name(p.product()));
            if (p.vendor() == null || p.vendor().name() == null) {
                parts.add(p.deviceClass() == null ? null : "(class " + name(p.deviceClass()) + ")");
            }
        } else if (c instanceof UsbDeviceCapability u) {
            parts.add(name(u.vendor()));
            parts.add(name(u.product()));
        } else if (c instanceof UsbInterfaceCapability u) {
            if (u.description() != null) {
                parts.add(u.description());
            } else {
                parts.add(u.number() == null ? "interface" : "interface " + u.number());
                parts.add(u.interfaceClass() == null ? null : "class " + u.interfaceClass());
            }
        } else if (c instanceof NetCapability n) {
            parts.add(n.interfaceName());
            if (n.kind() != null && n.kind() != NetCapability.Kind.PHYSICAL) {
                parts.add(n.kind().json());
            }
            if (n.link() != null) {
                parts.add(n.link().state());
                parts.add(n.link().speed() == null ? null : n.link().speed() + "Mb/s");
            }
            parts.add(n.address());
            parts.add(n.master() == null ? null : "in " + n.master());
        } else if (c instanceof StorageCapability s) {
            parts.add(s.kind() == null ? null : s.kind().json());
            parts.add(s.size() == null ? null : bytes(s.size()));
            parts.add(s.vendor());
            parts.add(s.model());
        } else if (c instanceof ScsiHostCapability s) {
            parts.add(s.procName());
        } else if (c instanceof ScsiTargetCapability s) {
            parts.add(s.target());
        } else if (c instanceof ScsiCapability s) {
            parts.add(s.kind());
            parts.add(s.vendor());
            parts.add(s.model());
        } else if (c instanceof ScsiGenericCapability s) {
            parts.add(s.devnode());
        } else if (c instanceof DrmCapability s) {
            parts.add(s.kind());
        } else if (c instanceof InputCapability s) {
            parts.add(s.name() != null ? s.name() : s.kind());
        } else if (c instanceof SoundCapability s) {
            parts.add(s.id() != null ? s.id() : s.kind());
        } else if (c instanceof VirtioCapability v) {
            parts.add(v.deviceType() != null ? "virtio " + v.deviceType()
                    : v.deviceId() != null ? "virtio device " + v.deviceId() : "virtio device");
        } else if (c instanceof GenericCapability) {
            // raw attributes say nothing short enough for one line
            return;
        }
    }

    private static String name(IdName id) {
        if (id == null) {
            return null;
        }
        return id.name() != null ? id.name() : id.id();
    }

    /** Binary units with one decimal: {@code 256.0 GiB}. */
    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
