package io.hostdev.model.cap;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Map;
import java.util.Optional;

/**
 * A typed view of one aspect of a device. A device carries zero or more capabilities, at most
 * one per {@link #type()}; in JSON each appears under its type as a top-level key of the device,
 * so {@code pci.vendor.id} is both a JSON path and a selector field.
 */
public sealed interface Capability
        permits SystemCapability, PciCapability, UsbDeviceCapability, UsbInterfaceCapability,
                NetCapability, ScsiHostCapability, ScsiTargetCapability, ScsiCapability,
                ScsiGenericCapability, StorageCapability, DrmCapability, InputCapability,
                SoundCapability, VirtioCapability, SystemdCapability, GenericCapability {

    /** The capability's type name, as libvirt spells it where libvirt has one. */
    @JsonIgnore
    String type();

    /** Every capability type by name; the JSON reader uses it to find the record class. */
    Map<String, Class<? extends Capability>> TYPES = Map.ofEntries(
            Map.entry(SystemCapability.TYPE, SystemCapability.class),
            Map.entry(PciCapability.TYPE, PciCapability.class),
            Map.entry(UsbDeviceCapability.TYPE, UsbDeviceCapability.class),
            Map.entry(UsbInterfaceCapability.TYPE, UsbInterfaceCapability.class),
            Map.entry(NetCapability.TYPE, NetCapability.class),
            Map.entry(ScsiHostCapability.TYPE, ScsiHostCapability.class),
            Map.entry(ScsiTargetCapability.TYPE, ScsiTargetCapability.class),
            Map.entry(ScsiCapability.TYPE, ScsiCapability.class),
            Map.entry(ScsiGenericCapability.TYPE, ScsiGenericCapability.class),
            Map.entry(StorageCapability.TYPE, StorageCapability.class),
            Map.entry(DrmCapability.TYPE, DrmCapability.class),
            Map.entry(InputCapability.TYPE, InputCapability.class),
            Map.entry(SoundCapability.TYPE, SoundCapability.class),
            Map.entry(VirtioCapability.TYPE, VirtioCapability.class),
            Map.entry(SystemdCapability.TYPE, SystemdCapability.class),
            Map.entry(GenericCapability.TYPE, GenericCapability.class));

    static Optional<Class<? extends Capability>> classOf(String type) {
        return Optional.ofNullable(TYPES.get(type));
    }
}
