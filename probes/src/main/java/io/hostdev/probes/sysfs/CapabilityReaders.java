package io.hostdev.probes.sysfs;

import java.util.List;

/** The typed readers, one per subsystem. A subsystem without one gets the generic capability. */
final class CapabilityReaders {

    private CapabilityReaders() {
    }

    static List<CapabilityReader> all() {
        return List.of(
                new PciReader());
    }
}
