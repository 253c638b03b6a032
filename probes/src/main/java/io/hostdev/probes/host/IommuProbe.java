package io.hostdev.probes.host;

import io.hostdev.probes.HostFiles;
import io.hostdev.probes.Probe;

import java.nio.file.Path;

/**
 * Whether an IOMMU is in use ({@code sysfs.iommu}): the kernel creates a directory in
 * {@code sys/kernel/iommu_groups} for every IOMMU group (Documentation/ABI/testing/sysfs-kernel-iommu_groups),
 * so groups exist exactly when an IOMMU translates DMA for some device, which device assignment
 * (VFIO) needs. The directory exists but stays empty when the kernel supports IOMMUs and none
 * is enabled; a kernel without IOMMU support has no directory at all. Either way: no IOMMU.
 */
public final class IommuProbe implements Probe<Boolean> {

    public static final String ID = "sysfs.iommu";

    @Override
    public String id() {
        return ID;
    }

    /** {@code true} with groups, {@code false} without; {@code null} when {@code sys/kernel} itself is not there to ask. */
    @Override
    public Boolean probe(HostFiles files) {
        Path kernel = files.root().sys().resolve("kernel");
        Path groups = kernel.resolve("iommu_groups");
        if (files.isDirectory(groups)) {
            return !files.list(groups).isEmpty();
        }
        return files.isDirectory(kernel) ? Boolean.FALSE : null;
    }
}
