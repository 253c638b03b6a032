package io.hostdev.model.cap;

/**
 * A SCSI logical unit ({@code H:C:T:L}). {@code peripheral_type} is the SPC peripheral device type
 * number as the device reports it; {@code kind} is its short name ({@code disk}, {@code cdrom},
 * {@code tape}...), absent for numbers without one. Vendor, model and revision are the INQUIRY
 * strings without their space padding. The LUN is 64-bit, as in the kernel.
 */
public record ScsiCapability(
        int host,
        int bus,
        int target,
        long lun,
        Integer peripheralType,
        String kind,
        String vendor,
        String model,
        String revision) implements Capability {

    public static final String TYPE = "scsi";

    @Override
    public String type() {
        return TYPE;
    }
}
