package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.Capability;
import io.hostdev.probes.HostFiles;

import java.nio.file.Path;
import java.util.Map;

/** Fills vendor, product and class names into PCI capabilities from a pci.ids database. */
final class PciNames {

    private PciNames() {
    }

    static void apply(Map<SysfsDevice, Capability> caps, HostFiles files, Path configured) {
    }
}
