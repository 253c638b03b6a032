package io.hostdev.model.cap;

/**
 * A SCSI host adapter ({@code hostN}); {@code unique_id} is the adapter's unsigned 32-bit id and
 * {@code proc_name} the low-level driver's name, both from its {@code scsi_host} class device.
 */
public record ScsiHostCapability(int host, Long uniqueId, String procName) implements Capability {

    public static final String TYPE = "scsi_host";

    @Override
    public String type() {
        return TYPE;
    }
}
