package io.hostdev.model.host;

import java.util.List;

/**
 * One kind of guest this host can run: an OS type on an architecture, with the emulator, the
 * machine types and the domain (accelerator) types available for it.
 *
 * @param osType   {@code hvm} (full virtualization) or {@code xen} (Xen paravirtual)
 * @param arch     libvirt's architecture name
 * @param wordsize 32 or 64 (31 for s390)
 * @param emulator the emulator binary, as a path on the host
 * @param loader   the firmware loader (Xen HVM's {@code hvmloader})
 * @param machines machine types usable with every domain type
 * @param domains  domain types, each optionally with its own emulator and machines
 * @param features guest features, absent when the guest has none
 */
public record Guest(
        String osType,
        String arch,
        int wordsize,
        String emulator,
        String loader,
        List<Machine> machines,
        List<Domain> domains,
        Features features) {

    public Guest {
        machines = machines == null ? List.of() : List.copyOf(machines);
        domains = domains == null ? List.of() : List.copyOf(domains);
    }

    /**
     * A machine type. {@code canonical} is set on an alias ({@code pc} → {@code pc-i440fx-7.2});
     * {@code isDefault} marks the emulator's default machine.
     */
    public record Machine(String name, String canonical, Integer maxCpus, boolean deprecated, boolean isDefault) {
    }

    /** A domain type ({@code qemu}, {@code kvm}, {@code kqemu}, {@code xen}...) with optional overrides. */
    public record Domain(String type, String emulator, List<Machine> machines) {
        public Domain {
            machines = machines == null ? List.of() : List.copyOf(machines);
        }

        public static Domain of(String type) {
            return new Domain(type, null, List.of());
        }
    }

    /** libvirt's guest features; a {@link Toggle} carries the feature's default and whether it can be turned off. */
    public record Features(
            boolean pae,
            boolean nonpae,
            boolean ia64Be,
            Toggle acpi,
            Toggle apic,
            boolean cpuselection,
            boolean deviceboot,
            Toggle disksnapshot,
            Toggle hap,
            boolean externalSnapshot) {

        /** {@code default='on'|'off'} and {@code toggle='yes'|'no'}. */
        public record Toggle(boolean on, boolean toggle) {
        }

        public static final Features NONE = new Features(false, false, false, null, null, false, false, null, null,
                false);

        /** Every feature set in either: how libvirt merges two capability tokens for one (os_type, arch). */
        public Features or(Features o) {
            if (o == null) {
                return this;
            }
            return new Features(pae || o.pae, nonpae || o.nonpae, ia64Be || o.ia64Be, acpi != null ? acpi : o.acpi,
                    apic != null ? apic : o.apic, cpuselection || o.cpuselection, deviceboot || o.deviceboot,
                    disksnapshot != null ? disksnapshot : o.disksnapshot, hap != null ? hap : o.hap,
                    externalSnapshot || o.externalSnapshot);
        }

        public boolean isEmpty() {
            return equals(NONE);
        }
    }
}
