package io.hostdev.model.host;

import java.util.List;

/**
 * The host part of the capabilities document.
 *
 * @param uuid             the host's UUID: DMI {@code product_uuid}, else {@code /etc/machine-id} as a UUID
 * @param uuidSource       where {@code uuid} came from: {@code dmi} or {@code machine-id}
 * @param cpu              the host CPU
 * @param powerManagement  suspend modes the kernel offers
 * @param iommu            whether an IOMMU is active ({@code sys/kernel/iommu_groups} has groups);
 *                         {@code null} when that could not be read
 * @param cells            NUMA cells; one cell on a host without NUMA
 * @param caches           cache banks of level 2 and up, one per distinct cache
 * @param securityModels   mandatory access control present on the host (SELinux, AppArmor)
 * @param hypervisor       the hypervisor this host runs under as a privileged domain (Xen dom0), if any
 * @param virtualization   whether this host is itself a guest, and of what
 */
public record Host(
        String uuid,
        String uuidSource,
        HostCpu cpu,
        PowerManagement powerManagement,
        Boolean iommu,
        List<NumaCell> cells,
        List<CacheBank> caches,
        List<SecurityModel> securityModels,
        XenHypervisor hypervisor,
        Virtualization virtualization) {

    public Host {
        cells = cells == null ? List.of() : List.copyOf(cells);
        caches = caches == null ? List.of() : List.copyOf(caches);
        securityModels = securityModels == null ? List.of() : List.copyOf(securityModels);
    }

    /** Suspend modes from {@code sys/power/state} and {@code sys/power/disk}. */
    public record PowerManagement(boolean suspendMem, boolean suspendDisk, boolean suspendHybrid) {
    }

    /** A security model and its domain of interpretation, as libvirt's {@code <secmodel>}. */
    public record SecurityModel(String model, String doi) {
    }

    /**
     * Whether this host is a virtual machine: {@code guest} true when any evidence says so,
     * {@code hypervisor} the best name for what runs it ({@code kvm}, {@code xen}, {@code vmware},
     * {@code hyperv}...), {@code evidence} every source consulted that said so, e.g.
     * {@code cpuinfo:hypervisor}, {@code sys/hypervisor/type:xen}, {@code dmi:sys_vendor=QEMU}.
     */
    public record Virtualization(boolean guest, String hypervisor, List<String> evidence) {
        public Virtualization {
            evidence = evidence == null ? List.of() : List.copyOf(evidence);
        }
    }

    /**
     * The Xen hypervisor from {@code sys/hypervisor}: type, version parts and the raw
     * {@code properties/capabilities} string the guests were derived from.
     */
    public record XenHypervisor(String type, Integer major, Integer minor, String extra, String capabilities) {
    }
}
