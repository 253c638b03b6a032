package io.hostdev.exporters.libvirt;

import io.hostdev.model.Device;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.DrmCapability;
import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.model.cap.ScsiCapability;
import io.hostdev.model.cap.ScsiGenericCapability;
import io.hostdev.model.cap.ScsiHostCapability;
import io.hostdev.model.cap.ScsiTargetCapability;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.SystemCapability;
import io.hostdev.model.cap.UsbDeviceCapability;
import io.hostdev.model.cap.UsbInterfaceCapability;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * libvirt's node-device XML ({@code virsh nodedev-dumpxml}), valid against libvirt's
 * {@code nodedev.rng}: one {@code <device>} document per device, or a {@code <devices>} wrapper
 * around the documents of a {@link LibvirtView}.
 *
 * <p>Values follow libvirt's conventions: PCI address parts in decimal elements, ids in lower-case
 * {@code 0x} hex attributes, member and VF addresses as {@code <address domain='0x0000' bus='0x03'
 * slot='0x00' function='0x0'/>}, USB interface class numbers in decimal, sizes in bytes. A value the
 * model does not have is left out, never replaced by libvirt's "unknown" numbers (a NIC speed of
 * 4294967295); the one exception is the system's hardware UUID, which the schema requires: a host
 * without one gets the all-zero UUID, as libvirt prints it. docs/libvirt-xml.md lists every
 * element and where it comes from.
 */
public final class NodeDeviceXmlExporter {

    /** libvirt's own stand-in for a host whose firmware gives no UUID; nodedev.rng requires one. */
    static final String UNKNOWN_UUID = "00000000-0000-0000-0000-000000000000";

    // the value patterns of nodedev.rng and basictypes.rng that our values must meet
    private static final Pattern UUID = Pattern.compile(
            "[a-fA-F0-9]{32}|[a-fA-F0-9]{8}-([a-fA-F0-9]{4}-){3}[a-fA-F0-9]{12}");
    private static final Pattern HEX_ID = Pattern.compile("(0x)?[0-9a-f]+");
    private static final Pattern PCI_CLASS = Pattern.compile("0x[0-9a-fA-F]{6}");
    private static final Pattern MAC = Pattern.compile("[a-fA-F0-9]{2}(:[a-fA-F0-9]{2}){5}");
    private static final Pattern BLOCK_PATH = Pattern.compile("/[a-zA-Z0-9_+\\-/%]+");
    private static final Set<String> LINK_STATES = Set.of("unknown", "notpresent", "down", "lowerlayerdown",
            "testing", "dormant", "up");
    private static final Set<String> DRM_TYPES = Set.of("primary", "control", "render");
    private static final long MAX_UNSIGNED_INT = 0xffff_ffffL;
    private static final String ZERO_MAC = "00:00:00:00:00:00";

    private NodeDeviceXmlExporter() {
    }

    /** One {@code <device>} document; its {@code <parent>} is the device's {@code parent}. */
    public static String device(Device device) {
        XmlWriter w = new XmlWriter();
        write(w, device);
        return w.toString();
    }

    /** Every device of the view, each a {@code <device>} element, inside one {@code <devices>} element. */
    public static String devices(LibvirtView view) {
        return devices(view, d -> true);
    }

    /**
     * The listing restricted to the view's devices that {@code include} accepts (a selector's
     * matches), each still with its parent in the whole view; {@code <devices/>} when none is left.
     */
    public static String devices(LibvirtView view, java.util.function.Predicate<Device> include) {
        List<Device> chosen = view.devices().stream().filter(include).toList();
        if (chosen.isEmpty()) {
            return "<devices/>\n";
        }
        XmlWriter w = new XmlWriter();
        w.open("devices");
        for (Device d : chosen) {
            write(w, d);
        }
        w.close("devices");
        return w.toString();
    }

    /**
     * Why this capability cannot be written as libvirt node-device XML: libvirt has no such
     * capability, or the model lacks a value the schema requires. Empty when it can be written.
     */
    public static Optional<String> problem(Capability c) {
        String why = null;
        if (c instanceof PciCapability p) {
            why = p.address() == null ? "its pci capability has no address"
                    : !validId(p.vendor()) ? "its pci capability has no vendor id"
                    : !validId(p.product()) ? "its pci capability has no product id" : null;
        } else if (c instanceof UsbDeviceCapability u) {
            why = u.bus() == null || u.device() == null ? "its usb_device capability has no bus number or address"
                    : !validId(u.vendor()) || !validId(u.product()) ? "its usb_device capability has no vendor or product id"
                    : null;
        } else if (c instanceof UsbInterfaceCapability u) {
            why = u.number() == null || u.number() < 0 || hexByte(u.interfaceClass()) == null
                    || hexByte(u.subclass()) == null || hexByte(u.protocol()) == null
                    ? "its usb capability lacks the interface number, class, subclass or protocol" : null;
        } else if (c instanceof NetCapability n) {
            why = n.interfaceName() == null ? "its net capability has no interface name" : null;
        } else if (c instanceof ScsiTargetCapability t) {
            why = t.target() == null ? "its scsi_target capability has no target name" : null;
        } else if (c instanceof ScsiCapability s) {
            why = s.host() < 0 || s.bus() < 0 || s.target() < 0 || s.lun() < 0
                    ? "its scsi capability has a negative address part" : null;
        } else if (c instanceof ScsiGenericCapability g) {
            why = g.devnode() == null ? "its scsi_generic capability has no device node" : null;
        } else if (c instanceof StorageCapability s) {
            why = s.block() == null || !BLOCK_PATH.matcher(s.block()).matches()
                    ? "its storage capability has no device node libvirt's schema accepts"
                    : s.size() == null || s.size() < 0 ? "its storage capability has no size" : null;
        } else if (c instanceof DrmCapability d) {
            why = !DRM_TYPES.contains(d.kind())
                    ? "its drm capability is a " + d.kind() + ", and libvirt knows only primary, control and render nodes"
                    : null;
        } else if (!(c instanceof SystemCapability) && !(c instanceof ScsiHostCapability)) {
            why = "libvirt's node-device XML has no capability for " + c.type();
        }
        return Optional.ofNullable(why);
    }

    static boolean writable(Capability c) {
        return problem(c).isEmpty();
    }

    static void write(XmlWriter w, Device d) {
        w.open("device");
        w.text("name", d.name());
        w.text("path", d.path());
        for (String node : d.devnodes()) {
            w.text("devnode", node, "type", "dev");
        }
        w.text("parent", d.parent());
        if (d.driver() != null) {
            w.open("driver").text("name", d.driver()).close("driver");
        }
        for (Capability c : d.capabilities()) {
            if (writable(c)) {
                capability(w, c);
            }
        }
        w.close("device");
    }

    private static void capability(XmlWriter w, Capability c) {
        if (c instanceof SystemCapability s) {
            system(w, s);
        } else if (c instanceof PciCapability p) {
            pci(w, p);
        } else if (c instanceof UsbDeviceCapability u) {
            w.open("capability", "type", "usb_device");
            w.text("bus", u.bus()).text("device", u.device());
            idName(w, "product", u.product());
            idName(w, "vendor", u.vendor());
            w.close("capability");
        } else if (c instanceof UsbInterfaceCapability u) {
            w.open("capability", "type", "usb");
            w.text("number", u.number());
            w.text("class", hexByte(u.interfaceClass())).text("subclass", hexByte(u.subclass()))
                    .text("protocol", hexByte(u.protocol()));
            w.text("description", u.description());
            w.close("capability");
        } else if (c instanceof NetCapability n) {
            net(w, n);
        } else if (c instanceof ScsiHostCapability h) {
            w.open("capability", "type", "scsi_host");
            w.text("host", h.host());
            w.text("unique_id", unsignedInt(h.uniqueId()));
            w.close("capability");
        } else if (c instanceof ScsiTargetCapability t) {
            w.open("capability", "type", "scsi_target").text("target", t.target()).close("capability");
        } else if (c instanceof ScsiCapability s) {
            w.open("capability", "type", "scsi");
            w.text("host", s.host()).text("bus", s.bus()).text("target", s.target()).text("lun", s.lun());
            w.text("type", s.kind());
            w.close("capability");
        } else if (c instanceof ScsiGenericCapability g) {
            w.open("capability", "type", "scsi_generic").text("char", g.devnode()).close("capability");
        } else if (c instanceof StorageCapability s) {
            storage(w, s);
        } else if (c instanceof DrmCapability d) {
            w.open("capability", "type", "drm").text("type", d.kind()).close("capability");
        }
    }

    private static void system(XmlWriter w, SystemCapability s) {
        w.open("capability", "type", "system");
        w.text("product", s.product());
        SystemCapability.Hardware h = s.hardware();
        w.open("hardware");
        if (h != null) {
            w.text("vendor", h.vendor()).text("version", h.version()).text("serial", h.serial());
        }
        w.text("uuid", h != null && h.uuid() != null && UUID.matcher(h.uuid()).matches() ? h.uuid() : UNKNOWN_UUID);
        w.close("hardware");
        SystemCapability.Firmware f = s.firmware();
        w.open("firmware");
        if (f != null) {
            w.text("vendor", f.vendor()).text("version", f.version()).text("release_date", f.releaseDate());
        }
        w.close("firmware");
        w.close("capability");
    }

    private static void pci(XmlWriter w, PciCapability p) {
        w.open("capability", "type", "pci");
        if (p.deviceClass() != null && PCI_CLASS.matcher(p.deviceClass().id()).matches()) {
            w.text("class", p.deviceClass().id());
        }
        PciAddress a = p.address();
        w.text("domain", a.domain()).text("bus", a.bus()).text("slot", a.slot()).text("function", a.function());
        idName(w, "product", p.product());
        idName(w, "vendor", p.vendor());
        PciCapability.Sriov s = p.sriov();
        if (s != null) {
            if (s.pf() != null) {
                w.open("capability", "type", "phys_function");
                PciAddress.parse(s.pf()).ifPresent(pf -> address(w, pf));
                w.close("capability");
            }
            // a record with no PF address is a physical function, even when nothing else is known of it
            if (s.pf() == null || s.totalVfs() != null || !s.vfs().isEmpty()) {
                String max = s.totalVfs() == null || s.totalVfs() < 0 ? null : s.totalVfs().toString();
                w.open("capability", "type", "virt_functions", "maxCount", max);
                addresses(s.vfs()).forEach(vf -> address(w, vf));
                w.close("capability");
            }
        }
        PciCapability.IommuGroup g = p.iommuGroup();
        if (g != null && g.number() >= 0) {
            // a non-PCI member (a platform device on some SoCs) has no PCI address to print
            List<PciAddress> members = addresses(g.members());
            if (!members.isEmpty()) {
                w.open("iommuGroup", "number", Integer.toString(g.number()));
                members.forEach(m -> address(w, m));
                w.close("iommuGroup");
            }
        }
        if (p.numaNode() != null) {
            w.empty("numa", "node", p.numaNode().toString());
        }
        if (p.link() != null) {
            w.open("pci-express");
            link(w, "cap", p.link().max());
            link(w, "sta", p.link().current());
            w.close("pci-express");
        }
        w.close("capability");
    }

    /** A link state needs its width (the schema requires it); the speed is optional. */
    private static void link(XmlWriter w, String validity, PciCapability.LinkState state) {
        if (state != null && state.width() != null && state.width() >= 0) {
            w.empty("link", "validity", validity, "speed", gts(state.speed()), "width", state.width().toString());
        }
    }

    /** GT/s as libvirt prints them: {@code 2.5}, {@code 5}, {@code 8}, {@code 16}. */
    static String gts(Double speed) {
        if (speed == null || speed.isNaN() || speed.isInfinite() || speed < 0) {
            return null;
        }
        return BigDecimal.valueOf(speed).stripTrailingZeros().toPlainString();
    }

    private static void net(XmlWriter w, NetCapability n) {
        w.open("capability", "type", "net");
        w.text("interface", n.interfaceName());
        boolean mac = n.address() != null && MAC.matcher(n.address()).matches();
        if (mac) {
            w.text("address", n.address().toLowerCase(Locale.ROOT));
        }
        if (n.link() != null) {
            String speed = unsignedInt(n.link().speed());
            String state = LINK_STATES.contains(n.link().state()) ? n.link().state() : null;
            if (speed != null || state != null) {
                w.empty("link", "speed", speed, "state", state);
            }
        }
        // 802.3 means Ethernet framing, which needs a real 48-bit MAC (lo's is all zeros, a tun has
        // none); libvirt itself marks every interface that is not wireless 802.3, lo and tun included
        if (n.kind() == NetCapability.Kind.WIRELESS) {
            w.empty("capability", "type", "80211");
        } else if (mac && !n.address().equals(ZERO_MAC)) {
            w.empty("capability", "type", "80203");
        }
        w.close("capability");
    }

    private static void storage(XmlWriter w, StorageCapability s) {
        w.open("capability", "type", "storage");
        w.text("block", s.block());
        w.text("drive_type", driveType(s.kind()));
        w.text("model", s.model()).text("vendor", s.vendor()).text("serial", s.serial());
        Integer blockSize = s.logicalBlockSize() != null && s.logicalBlockSize() > 0 ? s.logicalBlockSize() : null;
        if (Boolean.TRUE.equals(s.removable())) {
            w.open("capability", "type", "removable");
            w.text("media_available", s.size() > 0 ? "1" : "0");
            w.text("media_size", s.size());
            blockData(w, s.size(), blockSize);
            w.close("capability");
        } else {
            w.text("size", s.size());
            blockData(w, s.size(), blockSize);
        }
        w.close("capability");
    }

    private static void blockData(XmlWriter w, long size, Integer blockSize) {
        if (blockSize != null) {
            w.text("logical_block_size", blockSize).text("num_blocks", size / blockSize);
        }
    }

    /**
     * libvirt's drive types for what it lists ({@code disk}, {@code cdrom}); for the kinds libvirt
     * never lists, hostdev's own kind, so a reader can tell a partition from a disk.
     */
    static String driveType(StorageCapability.Kind kind) {
        if (kind == null) {
            return null;
        }
        return switch (kind) {
            case DISK, NVME_NAMESPACE -> "disk";
            case CDROM -> "cdrom";
            default -> kind.json();
        };
    }

    private static void idName(XmlWriter w, String element, IdName id) {
        w.textOrEmpty(element, id.name() == null || id.name().isEmpty() ? null : id.name(), "id", id.id());
    }

    private static void address(XmlWriter w, PciAddress a) {
        w.empty("address", "domain", String.format("0x%04x", a.domain()), "bus", String.format("0x%02x", a.bus()),
                "slot", String.format("0x%02x", a.slot()), "function", String.format("0x%x", a.function()));
    }

    private static List<PciAddress> addresses(List<String> texts) {
        List<PciAddress> out = new ArrayList<>();
        for (String t : texts) {
            PciAddress.parse(t).ifPresent(out::add);
        }
        return out;
    }

    private static boolean validId(IdName id) {
        return id != null && HEX_ID.matcher(id.id()).matches();
    }

    /** {@code 0x09} (or {@code 09}) as the decimal libvirt prints; null when it is not a hex byte. */
    static String hexByte(String hex) {
        if (hex == null) {
            return null;
        }
        String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (digits.isEmpty() || digits.length() > 2 || !digits.chars().allMatch(NodeDeviceXmlExporter::isHexDigit)) {
            return null;
        }
        return Integer.toString(Integer.parseInt(digits, 16));
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String unsignedInt(Long value) {
        return value == null || value < 0 || value > MAX_UNSIGNED_INT ? null : value.toString();
    }
}
