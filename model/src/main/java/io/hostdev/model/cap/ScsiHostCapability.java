package io.hostdev.model.cap;

/** A SCSI host adapter ({@code hostN}); {@code proc_name} is the low-level driver's name. */
public record ScsiHostCapability(int host, Integer uniqueId, String procName) implements Capability {

    public static final String TYPE = "scsi_host";

    @Override
    public String type() {
        return TYPE;
    }
}
