package io.hostdev.probes.sysfs;

import java.util.List;

/** The typed readers, one per subsystem. A subsystem without one gets the generic capability. */
final class CapabilityReaders {

    private CapabilityReaders() {
    }

    static List<CapabilityReader> all() {
        return List.of(
                new PciReader(),
                new NetReader(),
                new StorageReader(),
                new UsbReader(),
                new ScsiReader(),
                new ScsiGenericReader(),
                new DrmReader(),
                new InputReader(),
                new SoundReader(),
                new VirtioReader());
    }
}
