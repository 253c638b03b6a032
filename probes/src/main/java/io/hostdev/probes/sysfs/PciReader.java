package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.PciAddress;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code pci} capability of a PCI function ({@code sysfs.pci}), from its directory
 * {@code sys/devices/pci0000:00/.../DDDD:BB:SS.F}. Kernel ABI: Documentation/ABI/testing/sysfs-bus-pci
 * (and sysfs-kernel-iommu_groups for the group members).
 *
 * <p>Files read: {@code uevent} (already parsed by the scan: {@code PCI_ID}, {@code PCI_SUBSYS_ID},
 * {@code PCI_CLASS}, {@code DRIVER}), then {@code revision}, {@code numa_node}, the
 * {@code iommu_group} link and {@code sys/kernel/iommu_groups/N/devices}, {@code max_link_speed},
 * {@code max_link_width}, {@code current_link_speed}, {@code current_link_width},
 * {@code sriov_totalvfs} (and on a PF {@code sriov_numvfs} and the {@code virtfnN} links) or the
 * {@code physfn} link, and {@code resource}. The {@code vendor}, {@code device},
 * {@code subsystem_vendor}, {@code subsystem_device} and {@code class} attributes are read only when
 * {@code uevent} lacks the ids. {@code config} is never read: in a VM each read traps to the
 * hypervisor and costs milliseconds. Names are filled in later by {@link PciNames}, in one pass over
 * pci.ids for all devices.
 */
final class PciReader implements CapabilityReader {

    static final String ID = "sysfs.pci";

    /** IORESOURCE_IO and IORESOURCE_MEM from include/linux/ioport.h. */
    static final long IORESOURCE_IO = 0x100;
    static final long IORESOURCE_MEM = 0x200;

    /**
     * Drivers that hold a function for assignment to a guest. The Xen backend registers itself as
     * {@code pciback} in sysfs although its module is {@code xen-pciback}, so both are listed.
     */
    static final Set<String> ASSIGNABLE_DRIVERS = Set.of("vfio-pci", "pci-stub", "xen-pciback", "pciback");

    private static final Pattern SPEED = Pattern.compile("(\\d{1,4}(?:\\.\\d{1,4})?) ?GT/s(?: [^\\n]*)?");
    private static final Pattern VIRTFN = Pattern.compile("virtfn(\\d{1,9})");
    /** A {@code resource} line: three {@code 0x%016llx} fields ({@code \p{XDigit}} is ASCII only). */
    private static final Pattern RESOURCE_LINE = Pattern.compile(
            "0x(\\p{XDigit}{1,16})[ \t]+0x(\\p{XDigit}{1,16})[ \t]+0x(\\p{XDigit}{1,16})");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String subsystem() {
        return "pci";
    }

    @Override
    public PciCapability read(SysfsDevice device, ScanContext context) {
        HostFiles files = context.files();
        Map<String, String> uevent = device.uevent();

        PciAddress address = PciAddress.parse(device.sysname())
                .or(() -> PciAddress.parse(uevent.get("PCI_SLOT_NAME")))
                .orElse(null);

        String[] ids = parseIdPair(uevent.get("PCI_ID"));
        String vendor = ids != null ? ids[0] : pciId(files.read(device.attr("vendor")));
        String product = ids != null ? ids[1] : pciId(files.read(device.attr("device")));
        String[] subsys = subsystemIds(uevent.get("PCI_SUBSYS_ID"), device, files);
        String deviceClass = classId(uevent.get("PCI_CLASS"));
        if (deviceClass == null) {
            deviceClass = classId(files.read(device.attr("class")));
        }
        String revision = SysfsValues.hexId(files.read(device.attr("revision")), 2, 0xff);
        Integer numaNode = parseNumaNode(files.read(device.attr("numa_node")));

        PciCapability.IommuGroup iommuGroup = iommuGroup(device, context);
        PciCapability.Link link = link(
                files.read(device.attr("max_link_speed")), files.read(device.attr("max_link_width")),
                files.read(device.attr("current_link_speed")), files.read(device.attr("current_link_width")));
        PciCapability.Sriov sriov = sriov(device, files);
        List<PciCapability.Resource> resources = parseResources(files.read(device.attr("resource")));

        String driver = device.driver();
        if (driver == null && uevent.isEmpty()) {
            // uevent could not be read, so it says nothing about the binding: ask the link
            driver = files.readLinkName(device.attr("driver"));
        }

        return new PciCapability(address, idName(vendor), idName(product),
                subsys == null ? null : idName(subsys[0]), subsys == null ? null : idName(subsys[1]),
                idName(deviceClass), revision, iommuGroup, numaNode, link, sriov, resources, isAssignable(driver));
    }

    private static String[] subsystemIds(String ueventValue, SysfsDevice device, HostFiles files) {
        String[] pair = parseIdPair(ueventValue);
        if (pair == null) {
            String v = pciId(files.read(device.attr("subsystem_vendor")));
            String d = pciId(files.read(device.attr("subsystem_device")));
            pair = v == null || d == null ? null : new String[] {v, d};
        }
        return pair == null || !hasSubsystemId(pair[0], pair[1]) ? null : pair;
    }

    /**
     * A function without a subsystem id reports 0000:0000 (the PCI spec's "not assigned"; bridges
     * without the SSID capability too), which is no id at all.
     */
    static boolean hasSubsystemId(String vendor, String device) {
        return !("0x0000".equals(vendor) && "0x0000".equals(device));
    }

    private static IdName idName(String id) {
        return id == null ? null : IdName.of(id);
    }

    private PciCapability.IommuGroup iommuGroup(SysfsDevice device, ScanContext context) {
        HostFiles files = context.files();
        Integer number = SysfsValues.decimalInt(files.readLinkName(device.attr("iommu_group")));
        if (number == null) {
            return null;
        }
        // built from the number rather than by following the link, so a bent link cannot leave the root
        Path members = context.root().sys().resolve("kernel").resolve("iommu_groups")
                .resolve(Integer.toString(number)).resolve("devices");
        return new PciCapability.IommuGroup(number, sortMembers(files.list(members)));
    }

    private static PciCapability.Sriov sriov(SysfsDevice device, HostFiles files) {
        String total = files.read(device.attr("sriov_totalvfs"));
        if (total != null) {
            Integer totalVfs = SysfsValues.decimalInt(total);
            Integer numVfs = SysfsValues.decimalInt(files.read(device.attr("sriov_numvfs")));
            TreeMap<Integer, String> vfs = new TreeMap<>();
            for (String name : files.list(device.dir())) {
                Integer n = virtfnIndex(name);
                if (n != null) {
                    String vf = pciAddressOf(files.readLinkName(device.attr(name)));
                    if (vf != null) {
                        vfs.put(n, vf);
                    }
                }
            }
            if (totalVfs == null && numVfs == null && vfs.isEmpty()) {
                return null;
            }
            return new PciCapability.Sriov(totalVfs, numVfs, List.copyOf(vfs.values()), null);
        }
        String pf = pciAddressOf(files.readLinkName(device.attr("physfn")));
        return pf == null ? null : new PciCapability.Sriov(null, null, List.of(), pf);
    }

    /** Bound to a driver whose job is to hand the function to a guest. */
    static boolean isAssignable(String driver) {
        if (driver == null) {
            return false;
        }
        // vfio-pci variant drivers (mlx5_vfio_pci, hisi_acc_vfio_pci...) are vfio-pci plus migration support
        return ASSIGNABLE_DRIVERS.contains(driver) || driver.endsWith("_vfio_pci");
    }

    // ---- parsing: pure functions over the text of one file, tested with tables ----

    /**
     * A 16-bit vendor, device or subsystem id as {@code 0x%04x}, from sysfs text ({@code 0x8086}) or
     * a uevent value without prefix ({@code PCI_ID=1AF4:1045}); {@code null} when it is not hex or
     * exceeds 16 bits.
     */
    private static String pciId(String text) {
        return SysfsValues.hexId(text, 4, 0xffff);
    }

    /** The 24-bit class code as {@code 0x%06x}; uevent prints it without zero padding ({@code PCI_CLASS=20000}). */
    private static String classId(String text) {
        return SysfsValues.hexId(text, 6, 0xffffff);
    }

    /** {@code PCI_ID} / {@code PCI_SUBSYS_ID}: {@code VVVV:DDDD} → two ids, or {@code null}. */
    static String[] parseIdPair(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String a = pciId(text.substring(0, colon));
        String b = pciId(text.substring(colon + 1));
        return a == null || b == null ? null : new String[] {a, b};
    }

    /** {@code numa_node}: the node number; {@code -1} (no NUMA information) and garbage are absent. */
    static Integer parseNumaNode(String text) {
        Integer n = SysfsValues.decimalOrHexInt(text);
        return n == null || n < 0 ? null : n;
    }

    /** {@code virtfn12} → 12; anything else → {@code null}. */
    static Integer virtfnIndex(String entryName) {
        Matcher m = VIRTFN.matcher(entryName);
        return m.matches() ? Integer.valueOf(m.group(1)) : null;
    }

    /** The canonical address of a link target's basename such as {@code 0000:03:02.1}, or {@code null}. */
    static String pciAddressOf(String name) {
        return PciAddress.parse(name).map(PciAddress::toString).orElse(null);
    }

    /**
     * IOMMU group members: PCI functions in address order (canonical form), then any other kind of
     * member (platform devices on some SoCs) by name.
     */
    static List<String> sortMembers(List<String> names) {
        List<PciAddress> pci = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String n : names) {
            Optional<PciAddress> a = PciAddress.parse(n);
            if (a.isPresent()) {
                pci.add(a.get());
            } else {
                other.add(n);
            }
        }
        pci.sort(Comparator.naturalOrder());
        other.sort(Comparator.naturalOrder());
        List<String> out = new ArrayList<>(names.size());
        pci.forEach(a -> out.add(a.toString()));
        out.addAll(other);
        return out;
    }

    /**
     * A link speed in GT/s from {@code *_link_speed}: {@code 8.0 GT/s PCIe}, older kernels'
     * {@code 5 GT/s}; {@code Unknown}, {@code Unknown speed} and anything else → {@code null}.
     */
    static Double parseSpeed(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SPEED.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        double v = Double.parseDouble(m.group(1));
        return v > 0 ? v : null;
    }

    /**
     * A lane count from {@code *_link_width}: decimal, tolerating an {@code x} prefix. 0 (the
     * reserved encoding: link down, or a VF whose link registers are reserved) and 255 (the kernel's
     * PCIE_LNK_WIDTH_UNKNOWN) are absent, as is anything above x32, the widest link PCIe defines
     * (an all-ones config read would show as 63).
     */
    static Integer parseWidth(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.startsWith("x") || s.startsWith("X")) {
            s = s.substring(1);
        }
        Integer w = SysfsValues.decimalInt(s);
        return w == null || w < 1 || w > 32 ? null : w;
    }

    /**
     * The link from the four attributes' text. A state with neither speed nor width is absent; the
     * link is absent when both states are (conventional PCI, most VMs).
     */
    static PciCapability.Link link(String maxSpeed, String maxWidth, String currentSpeed, String currentWidth) {
        PciCapability.LinkState max = state(parseSpeed(maxSpeed), parseWidth(maxWidth));
        PciCapability.LinkState current = state(parseSpeed(currentSpeed), parseWidth(currentWidth));
        return max == null && current == null ? null : new PciCapability.Link(max, current);
    }

    private static PciCapability.LinkState state(Double speed, Integer width) {
        return speed == null && width == null ? null : new PciCapability.LinkState(speed, width);
    }

    /**
     * The {@code resource} file: one {@code 0x%016llx 0x%016llx 0x%016llx} line (start, end, flags)
     * per resource; the line number is the resource index. Unused lines (no range), lines that are
     * neither I/O ports nor memory, and lines that do not parse are skipped; the rest still count.
     */
    static List<PciCapability.Resource> parseResources(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<PciCapability.Resource> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            PciCapability.Resource r = parseResourceLine(index, lines[index]);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    static PciCapability.Resource parseResourceLine(int index, String line) {
        Matcher m = RESOURCE_LINE.matcher(line.strip());
        if (!m.matches()) {
            return null;
        }
        Long start = SysfsValues.hex(m.group(1));
        Long end = SysfsValues.hex(m.group(2));
        Long flags = SysfsValues.hex(m.group(3));
        if (start == null || end == null || flags == null) {
            return null;
        }
        if ((start == 0 && end == 0) || Long.compareUnsigned(end, start) < 0) {
            return null;
        }
        boolean io = (flags & IORESOURCE_IO) != 0;
        boolean mem = (flags & IORESOURCE_MEM) != 0;
        if (io == mem) {
            // neither (unused) or both (no such resource exists): nothing typed to report
            return null;
        }
        return new PciCapability.Resource(index, io ? PciCapability.ResourceKind.IO : PciCapability.ResourceKind.MMIO,
                start, end, flags);
    }
}
