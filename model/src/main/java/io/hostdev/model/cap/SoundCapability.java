package io.hostdev.model.cap;

/**
 * An ALSA card ({@code cardN}) or one of its nodes ({@code pcmC0D3p}, {@code controlC0}...), or one of
 * the global nodes ({@code timer}, {@code seq}) that belong to no card.
 *
 * @param kind   {@code card}, {@code control}, {@code pcm_playback}, {@code pcm_capture}, {@code hwdep},
 *               {@code midi}, {@code compress}, {@code timer} or {@code sequencer}
 * @param card   the card number, absent for global nodes
 * @param device the device number on the card, for pcm, hwdep, midi and compress nodes
 * @param id     the card's id string, cards only
 */
public record SoundCapability(String kind, Integer card, Integer device, String id) implements Capability {

    public static final String TYPE = "sound";

    @Override
    public String type() {
        return TYPE;
    }
}
