package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.ScsiGenericCapability;

/**
 * SCSI generic nodes ({@code sysfs.scsi_generic}), the members of {@code sys/class/scsi_generic}
 * ({@code sgN}). The only fact is the device node, from {@code DEVNAME} in the device's
 * {@code uevent} (kernel ABI: Documentation/ABI/testing/sysfs-uevent); the SCSI device it drives is
 * its parent.
 */
final class ScsiGenericReader implements CapabilityReader {

    static final String ID = "sysfs.scsi_generic";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String subsystem() {
        return "scsi_generic";
    }

    @Override
    public Capability read(SysfsDevice device, ScanContext context) {
        return new ScsiGenericCapability(context.devnode(device));
    }
}
