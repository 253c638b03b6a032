package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.Capability;

/**
 * Reads the typed capability of devices of one subsystem. One reader per file, each with its own
 * id ({@code sysfs.pci}, {@code sysfs.net}...). Parsing lives in package-private static methods
 * that tests call directly; {@link #read} does the I/O.
 */
interface CapabilityReader {

    /** Stable dotted id, used in config and logs. */
    String id();

    /** The sysfs subsystem this reader handles. */
    String subsystem();

    /**
     * The device's capability, or {@code null} when this reader does not apply to it (the device
     * then gets the generic capability). Must not throw on any file content.
     */
    Capability read(SysfsDevice device, ScanContext context);
}
