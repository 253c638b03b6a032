package io.hostdev.model.cap;

/** An ALSA card ({@code cardN}: id, number) or one of its nodes (pcm, control, timer...). */
public record SoundCapability(String kind, Integer card, String id) implements Capability {

    public static final String TYPE = "sound";

    @Override
    public String type() {
        return TYPE;
    }
}
