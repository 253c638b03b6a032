package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.VirtioCapability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.SysfsValues;

import java.util.Map;

/**
 * virtio devices ({@code sysfs.virtio}), the members of {@code sys/bus/virtio/devices}
 * ({@code virtioN}): the {@code device} and {@code vendor} attributes, which the virtio core prints as
 * {@code 0x%04x} (defined in the kernel's drivers/virtio/virtio.c; the bus has no ABI document).
 * The device type's name is the virtio specification's (section "Device Types"), for the ids in
 * {@link #DEVICE_TYPES}.
 */
final class VirtioReader implements CapabilityReader {

    static final String ID = "sysfs.virtio";

    /**
     * virtio device id → type name. Only ids whose meaning is settled in the specification are
     * listed; any other id is kept as a number without a name.
     */
    static final Map<Integer, String> DEVICE_TYPES = Map.ofEntries(
            Map.entry(1, "net"),
            Map.entry(2, "block"),
            Map.entry(3, "console"),
            Map.entry(4, "entropy"),
            Map.entry(5, "balloon"),
            Map.entry(7, "rpmsg"),
            Map.entry(8, "scsi"),
            Map.entry(9, "9p"),
            Map.entry(16, "gpu"),
            Map.entry(18, "input"),
            Map.entry(19, "vsock"),
            Map.entry(20, "crypto"),
            Map.entry(23, "iommu"),
            Map.entry(24, "mem"),
            Map.entry(25, "sound"),
            Map.entry(26, "fs"),
            Map.entry(27, "pmem"),
            Map.entry(34, "i2c"),
            Map.entry(41, "gpio"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String subsystem() {
        return "virtio";
    }

    @Override
    public Capability read(SysfsDevice device, ScanContext context) {
        HostFiles files = context.files();
        Integer id = SysfsValues.hexInt(files.read(device.attr("device")));
        return new VirtioCapability(id, deviceType(id), SysfsValues.hexId(files.read(device.attr("vendor")), 4));
    }

    static String deviceType(Integer id) {
        return id == null ? null : DEVICE_TYPES.get(id);
    }
}
