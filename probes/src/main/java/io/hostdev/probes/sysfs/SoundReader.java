package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.SoundCapability;
import io.hostdev.probes.SysfsValues;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ALSA cards and nodes ({@code sysfs.sound}), the members of {@code sys/class/sound} (kernel ABI:
 * Documentation/ABI/testing/sysfs-class-sound; node names are fixed by ALSA's core). What a node
 * is, and its card and device numbers, come from its name:
 *
 * <table>
 *   <caption>node names</caption>
 *   <tr><th>name</th><th>kind</th><th>card</th><th>device</th></tr>
 *   <tr><td>{@code cardC}</td><td>card (also reads {@code id})</td><td>C</td><td></td></tr>
 *   <tr><td>{@code controlCC}</td><td>control</td><td>C</td><td></td></tr>
 *   <tr><td>{@code pcmCCDDp}, {@code pcmCCDDc}</td><td>pcm_playback, pcm_capture</td><td>C</td><td>D</td></tr>
 *   <tr><td>{@code hwCCDD}</td><td>hwdep</td><td>C</td><td>D</td></tr>
 *   <tr><td>{@code midiCCDD}</td><td>midi</td><td>C</td><td>D</td></tr>
 *   <tr><td>{@code comprCCDD}</td><td>compress</td><td>C</td><td>D</td></tr>
 *   <tr><td>{@code timer}</td><td>timer</td><td></td><td></td></tr>
 *   <tr><td>{@code seq}</td><td>sequencer</td><td></td><td></td></tr>
 * </table>
 * Anything else (OSS emulation nodes such as {@code dsp}, {@code mixer}) stays generic.
 */
final class SoundReader implements CapabilityReader {

    static final String ID = "sysfs.sound";

    /** A parsed node name. */
    record Node(String kind, Integer card, Integer device) {
    }

    private static final Pattern CARD = Pattern.compile("card(\\d+)");
    private static final Pattern CONTROL = Pattern.compile("controlC(\\d+)");
    private static final Pattern PCM = Pattern.compile("pcmC(\\d+)D(\\d+)([pc])");
    private static final Pattern PER_DEVICE = Pattern.compile("(hw|midi|compr)C(\\d+)D(\\d+)");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String subsystem() {
        return "sound";
    }

    @Override
    public Capability read(SysfsDevice device, ScanContext context) {
        Node node = node(device.sysname());
        if (node == null) {
            return null;
        }
        String id = "card".equals(node.kind()) ? SysfsValues.text(context.files().read(device.attr("id"))) : null;
        return new SoundCapability(node.kind(), node.card(), node.device(), id);
    }

    /** What a member of the sound class is, by its name; see the class comment's table. */
    static Node node(String sysname) {
        if (sysname == null) {
            return null;
        }
        switch (sysname) {
            case "timer":
                return new Node("timer", null, null);
            case "seq":
                return new Node("sequencer", null, null);
            default:
                break;
        }
        Matcher m = CARD.matcher(sysname);
        if (m.matches()) {
            return numbered("card", m.group(1), null);
        }
        m = CONTROL.matcher(sysname);
        if (m.matches()) {
            return numbered("control", m.group(1), null);
        }
        m = PCM.matcher(sysname);
        if (m.matches()) {
            return numbered("p".equals(m.group(3)) ? "pcm_playback" : "pcm_capture", m.group(1), m.group(2));
        }
        m = PER_DEVICE.matcher(sysname);
        if (m.matches()) {
            String kind = switch (m.group(1)) {
                case "hw" -> "hwdep";
                case "midi" -> "midi";
                default -> "compress";
            };
            return numbered(kind, m.group(2), m.group(3));
        }
        return null;
    }

    /** A node whose numbers must fit an int; a name with an absurd number is not one of ALSA's. */
    private static Node numbered(String kind, String card, String device) {
        Integer c = SysfsValues.decimalInt(card);
        Integer d = device == null ? null : SysfsValues.decimalInt(device);
        if (c == null || (device != null && d == null)) {
            return null;
        }
        return new Node(kind, c, d);
    }
}
