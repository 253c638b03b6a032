package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciCapability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Device names, equal to libvirt's node-device names wherever libvirt lists the device:
 * <ul>
 *   <li>PCI: {@code pci_DDDD_BB_SS_F};</li>
 *   <li>net: {@code net_IFACE_MAC} with the MAC's colons as underscores ({@code net_IFACE} without a MAC);</li>
 *   <li>block: {@code block_NAME}, plus {@code _ID_SERIAL} when udev's database records one;</li>
 *   <li>everything else: {@code SUBSYSTEM_SYSNAME} — libvirt's own rule, which yields
 *       {@code usb_1_2}, {@code scsi_host0}, {@code scsi_0_0_0_0}, {@code drm_card0}, and also
 *       {@code virtio_virtio2}, {@code block_loop0}, {@code tty_ttyS0} for devices libvirt skips.</li>
 * </ul>
 * Every character that is not an ASCII letter or digit becomes '_', as libvirt does. Should two
 * devices still end up with one name, the one with the lower sysfs path keeps it and the others get
 * {@code _2}, {@code _3}... in path order.
 */
final class DeviceNames {

    private DeviceNames() {
    }

    static String sanitize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            sb.append(alnum ? c : '_');
        }
        return sb.toString();
    }

    /**
     * The base name of one device.
     *
     * @param udevSerial udev's {@code ID_SERIAL} for a block device, or {@code null}
     */
    static String baseName(SysfsDevice d, Capability cap, String udevSerial) {
        if (cap instanceof PciCapability pci && pci.address() != null) {
            return pci.address().libvirtName();
        }
        if ("net".equals(d.subsystem())) {
            String iface = interfaceName(d, cap);
            String mac = macAddress(cap);
            return sanitize("net_" + iface + (mac == null || mac.isEmpty() ? "" : "_" + mac));
        }
        if ("block".equals(d.subsystem())) {
            return sanitize("block_" + d.sysname() + (udevSerial == null || udevSerial.isEmpty() ? "" : "_" + udevSerial));
        }
        return sanitize(d.subsystem() + "_" + d.sysname());
    }

    /**
     * The interface name, from the net capability or, when that reader is switched off, from the
     * uevent: a name must not depend on which readers run.
     */
    static String interfaceName(SysfsDevice d, Capability cap) {
        if (cap instanceof NetCapability net && net.interfaceName() != null) {
            return net.interfaceName();
        }
        String fromUevent = SysfsDevice.token(d.uevent().get("INTERFACE"));
        return fromUevent != null ? fromUevent : d.sysname();
    }

    /** The MAC, from the net capability or else the raw {@code address} attribute. */
    static String macAddress(Capability cap) {
        if (cap instanceof NetCapability net) {
            return net.address();
        }
        if (cap instanceof io.hostdev.model.cap.GenericCapability g) {
            String raw = g.attributes().get("address");
            return raw != null && raw.matches("\\p{XDigit}{2}(:\\p{XDigit}{2}){5,19}") ? raw : null;
        }
        return null;
    }

    /** Makes names unique: the lowest sysfs path keeps a contested name, the rest get a suffix. */
    static Map<SysfsDevice, String> unique(Map<SysfsDevice, String> base) {
        Map<String, List<SysfsDevice>> byName = new HashMap<>();
        base.forEach((d, n) -> byName.computeIfAbsent(n, k -> new ArrayList<>()).add(d));
        Map<SysfsDevice, String> out = new LinkedHashMap<>(base);
        byName.forEach((name, devices) -> {
            if (devices.size() > 1) {
                devices.sort(Comparator.comparing(SysfsDevice::hostPath));
                int suffix = 2;
                for (SysfsDevice d : devices.subList(1, devices.size())) {
                    String candidate;
                    do {
                        candidate = name + "_" + suffix++;
                    } while (byName.containsKey(candidate));
                    out.put(d, candidate);
                }
            }
        });
        return out;
    }
}
