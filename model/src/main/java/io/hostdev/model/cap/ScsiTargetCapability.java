package io.hostdev.model.cap;

/** A SCSI target ({@code targetH:C:T}). */
public record ScsiTargetCapability(String target, int host, int channel, int id) implements Capability {

    public static final String TYPE = "scsi_target";

    @Override
    public String type() {
        return TYPE;
    }
}
