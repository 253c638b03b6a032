package io.hostdev.probes.virt;

import io.hostdev.model.host.Host;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.Probe;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Whether this host is itself a virtual machine, and of what ({@code hypervisor.guest}). The
 * evidence, strongest name first:
 * <ol>
 * <li>{@code sys/hypervisor/type} (drivers/xen/sys-hypervisor.c,
 *     Documentation/ABI/stable/sysfs-hypervisor-xen): {@code xen} on any Xen domain. A dom0
 *     ({@link XenProbe#isDom0}) is the host of guests, not a guest: it is reported as not a guest,
 *     with Xen as its hypervisor.</li>
 * <li>{@code sys/devices/system/clocksource/clocksource0/available_clocksource}
 *     (kernel/time/clocksource.c): the paravirtual clocks a guest kernel registers name the
 *     hypervisor that offers them ({@code kvm-clock}, {@code xen},
 *     {@code hyperv_clocksource_tsc_page}). This is what names KVM on a guest without DMI, such as
 *     a Firecracker microVM.</li>
 * <li>DMI strings in {@code sys/class/dmi/id} ({@code sys_vendor}, {@code product_name},
 *     {@code board_vendor}, {@code bios_vendor}, {@code chassis_vendor}; drivers/firmware/dmi-id.c),
 *     matched against {@link #DMI_SIGNATURES}.</li>
 * <li>The {@code hypervisor} CPU flag (CPUID leaf 1, ECX bit 31, which hypervisors set and
 *     hardware leaves clear), an input from the CPU probe: a guest, hypervisor unnamed.</li>
 * </ol>
 * Sources that are absent say nothing; a host with no evidence is not a guest.
 */
public final class VirtualizationProbe implements Probe<Host.Virtualization> {

    public static final String ID = "hypervisor.guest";

    /** The DMI attributes consulted, as named in {@code sys/class/dmi/id}. */
    static final List<String> DMI_FIELDS = List.of("sys_vendor", "product_name", "board_vendor", "bios_vendor",
            "chassis_vendor");

    private static final String CPU_FLAG = "hypervisor";

    /** Paravirtual clock sources and the hypervisor that provides each. */
    static final Map<String, String> CLOCKSOURCES = Map.of(
            "kvm-clock", "kvm",
            "xen", "xen",
            "hyperv_clocksource_tsc_page", "hyperv",
            "hyperv_clocksource_msr", "hyperv");

    /**
     * A DMI fingerprint: any of {@code fields} starting with {@code prefix}, when {@code condition}
     * holds for all DMI values, names {@code hypervisor}.
     */
    record DmiSignature(List<String> fields, String prefix, String hypervisor,
            Predicate<Map<String, String>> condition) {

        DmiSignature(List<String> fields, String prefix, String hypervisor) {
            this(fields, prefix, hypervisor, dmi -> true);
        }
    }

    private static final List<String> VENDORS = List.of("sys_vendor", "board_vendor", "bios_vendor",
            "chassis_vendor");

    /**
     * Fingerprints in priority order: vendors of a hypervisor product before platforms built on
     * one, and QEMU last, because clouds running QEMU replace its strings with their own. Vendors
     * that also sell hardware (Microsoft, Amazon, Google, Apple) count only with a product name
     * that is a virtual machine's.
     */
    static final List<DmiSignature> DMI_SIGNATURES = List.of(
            new DmiSignature(List.of("product_name"), "Virtual Machine", "hyperv",
                    dmi -> "Microsoft Corporation".equals(dmi.get("sys_vendor"))),
            new DmiSignature(concat(VENDORS, "product_name"), "VMware", "vmware"),
            new DmiSignature(List.of("product_name"), "VMW", "vmware"),
            new DmiSignature(VENDORS, "innotek GmbH", "virtualbox"),
            new DmiSignature(List.of("product_name"), "VirtualBox", "virtualbox"),
            new DmiSignature(concat(VENDORS, "product_name"), "Parallels", "parallels"),
            new DmiSignature(concat(VENDORS, "product_name"), "BHYVE", "bhyve"),
            new DmiSignature(VENDORS, "Xen", "xen"),
            new DmiSignature(List.of("product_name"), "HVM domU", "xen"),
            new DmiSignature(List.of("product_name"), "Apple Virtualization", "apple"),
            // EC2's Nitro hypervisor is KVM-based; its bare-metal instances (i3.metal) keep the vendor
            new DmiSignature(VENDORS, "Amazon EC2", "kvm",
                    dmi -> dmi.get("product_name") == null || !dmi.get("product_name").endsWith(".metal")),
            new DmiSignature(List.of("product_name"), "Google Compute Engine", "kvm"),
            new DmiSignature(concat(VENDORS, "product_name"), "OpenStack", "kvm"),
            new DmiSignature(concat(VENDORS, "product_name"), "KubeVirt", "kvm"),
            new DmiSignature(List.of("product_name"), "oVirt Node", "kvm"),
            new DmiSignature(List.of("product_name"), "RHEV Hypervisor", "kvm"),
            new DmiSignature(concat(VENDORS, "product_name"), "KVM", "kvm"),
            new DmiSignature(concat(VENDORS, "product_name"), "QEMU", "qemu"),
            new DmiSignature(List.of("product_name"), "Standard PC (", "qemu"),
            new DmiSignature(concat(VENDORS, "product_name"), "Bochs", "bochs"));

    /**
     * Everything the decision looks at.
     *
     * @param cpuHypervisorFlag the CPU flags have {@code hypervisor}; {@code null} when unknown
     * @param hypervisorType    {@code sys/hypervisor/type}
     * @param xenDom0           this host is Xen's control domain
     * @param dmi               DMI attribute → value, absent attributes left out
     * @param clocksources      the kernel's available clock sources
     */
    record Signals(Boolean cpuHypervisorFlag, String hypervisorType, boolean xenDom0, Map<String, String> dmi,
            List<String> clocksources) {
        Signals {
            dmi = dmi == null ? Map.of() : new TreeMap<>(dmi);
            clocksources = clocksources == null ? List.of() : List.copyOf(clocksources);
        }
    }

    private final Set<String> cpuFlags;

    /** @param cpuFlags the host CPU's flags from the CPU probe; {@code null} when unknown */
    public VirtualizationProbe(Collection<String> cpuFlags) {
        this.cpuFlags = cpuFlags == null ? null : Set.copyOf(cpuFlags);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Host.Virtualization probe(HostFiles files) {
        HostRoot root = files.root();
        Path hypervisor = root.sys().resolve("hypervisor");
        String type = SysfsValues.text(files.read(hypervisor.resolve("type")));
        boolean dom0 = "xen".equals(type) && XenProbe.isDom0(
                files.read(hypervisor.resolve("properties").resolve("features")),
                files.read(root.proc().resolve("xen").resolve("capabilities")));
        Map<String, String> dmi = new TreeMap<>();
        Path dmiDir = root.sys().resolve("class").resolve("dmi").resolve("id");
        for (String field : DMI_FIELDS) {
            String v = SysfsValues.text(files.read(dmiDir.resolve(field)));
            if (v != null) {
                dmi.put(field, v);
            }
        }
        String clocks = SysfsValues.text(files.read(root.sys().resolve("devices").resolve("system")
                .resolve("clocksource").resolve("clocksource0").resolve("available_clocksource")));
        return detect(new Signals(cpuFlags == null ? null : cpuFlags.contains(CPU_FLAG), type, dom0, dmi,
                clocks == null ? List.of() : List.of(clocks.split("\\s+"))));
    }

    /**
     * The verdict from the signals; evidence strings are sorted: {@code cpuinfo:hypervisor},
     * {@code clocksource:NAME}, {@code dmi:FIELD=VALUE}, {@code sys/hypervisor/type:TYPE},
     * {@code xen:dom0}.
     */
    static Host.Virtualization detect(Signals s) {
        Set<String> evidence = new TreeSet<>();
        String fromType = null;
        if (s.hypervisorType() != null) {
            fromType = s.hypervisorType().toLowerCase(java.util.Locale.ROOT);
            evidence.add("sys/hypervisor/type:" + s.hypervisorType());
        }
        String fromClock = null;
        for (String c : s.clocksources()) {
            String h = CLOCKSOURCES.get(c);
            if (h != null) {
                evidence.add("clocksource:" + c);
                fromClock = fromClock == null ? h : fromClock;
            }
        }
        String fromDmi = null;
        for (DmiSignature sig : DMI_SIGNATURES) {
            for (String field : sig.fields()) {
                String v = s.dmi().get(field);
                if (v != null && v.startsWith(sig.prefix()) && sig.condition().test(s.dmi())) {
                    evidence.add("dmi:" + field + "=" + v);
                    fromDmi = fromDmi == null ? sig.hypervisor() : fromDmi;
                }
            }
        }
        if (Boolean.TRUE.equals(s.cpuHypervisorFlag())) {
            evidence.add("cpuinfo:" + CPU_FLAG);
        }
        if (s.xenDom0()) {
            evidence.add("xen:dom0");
            return new Host.Virtualization(false, "xen", new ArrayList<>(evidence));
        }
        String name = fromType != null ? fromType : fromClock != null ? fromClock : fromDmi;
        return new Host.Virtualization(!evidence.isEmpty(), name, new ArrayList<>(evidence));
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new ArrayList<>(a);
        all.add(b);
        return List.copyOf(all);
    }
}
