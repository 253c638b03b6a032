package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.probes.HostFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fills vendor, product, subsystem and class names into the PCI capabilities of one scan from the
 * pci.ids database ({@link PciIds#locate}): one streaming pass over the file for all devices,
 * keeping only the entries those devices use. Without a database the ids stay unnamed, as libvirt
 * leaves them.
 */
final class PciNames {

    private static final System.Logger LOG = System.getLogger(PciNames.class.getName());

    private PciNames() {
    }

    /** Replaces each {@link PciCapability} in {@code caps} by a copy with names. */
    static void apply(Map<SysfsDevice, Capability> caps, HostFiles files, Path configured) {
        List<PciCapability> pci = new ArrayList<>();
        for (Capability c : caps.values()) {
            if (c instanceof PciCapability p) {
                pci.add(p);
            }
        }
        if (pci.isEmpty()) {
            return;
        }
        Optional<Path> database = PciIds.locate(files, configured);
        if (database.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "no pci.ids under the root or configured: PCI ids stay unnamed");
            return;
        }
        Path path = database.get();
        PciIds.Names names;
        try (InputStream in = files.open(path)) {
            if (in == null) {
                LOG.log(System.Logger.Level.WARNING, () -> "cannot open " + path + ": PCI ids stay unnamed");
                return;
            }
            names = PciIds.resolve(in, PciIds.Wanted.of(pci));
        } catch (IOException e) {
            // all or nothing: names from half a file would differ from one scan to the next
            LOG.log(System.Logger.Level.WARNING, () -> "cannot read " + path + ": " + e + "; PCI ids stay unnamed");
            return;
        }
        caps.replaceAll((device, c) -> c instanceof PciCapability p ? names.apply(p) : c);
    }
}
