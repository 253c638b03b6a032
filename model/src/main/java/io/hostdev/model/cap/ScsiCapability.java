package io.hostdev.model.cap;

/**
 * A SCSI logical unit ({@code H:C:T:L}); {@code kind} is the peripheral device type by its SPC
 * name ({@code disk}, {@code cdrom}, {@code tape}...).
 */
public record ScsiCapability(
        int host,
        int bus,
        int target,
        int lun,
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
