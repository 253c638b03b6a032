package io.hostdev.probes.sysfs;

import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.SoundCapability;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static io.hostdev.probes.sysfs.BusScans.cap;
import static io.hostdev.probes.sysfs.BusScans.device;
import static io.hostdev.probes.sysfs.BusScans.scan;
import static org.assertj.core.api.Assertions.assertThat;

class SoundReaderTest {

    private static final String CARD = "pci0000:00/0000:00:1b.0/sound/card0";

    @Nested
    class OnAnHdaCard {

        @TempDir
        Path root;

        DeviceTree tree() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice("pci0000:00/0000:00:1b.0", "pci");
            fs.classDevice(CARD, "sound").attr("id", "PCH").attr("number", "0");
            fs.classDevice(CARD + "/controlC0", "sound").uevent("DEVNAME=snd/controlC0");
            fs.classDevice(CARD + "/pcmC0D0p", "sound").uevent("DEVNAME=snd/pcmC0D0p");
            fs.classDevice(CARD + "/pcmC0D3c", "sound").uevent("DEVNAME=snd/pcmC0D3c");
            fs.classDevice(CARD + "/hwC0D0", "sound");
            fs.classDevice("virtual/sound/timer", "sound").uevent("DEVNAME=snd/timer");
            fs.classDevice("virtual/sound/seq", "sound").uevent("DEVNAME=snd/seq");
            return scan(root);
        }

        @Test
        void cardHasItsNumberAndId() {
            assertThat(cap(tree(), "sound_card0", SoundCapability.class))
                    .isEqualTo(new SoundCapability("card", 0, null, "PCH"));
        }

        @Test
        void nodesHangUnderTheirCardWithCardAndDeviceNumbers() {
            DeviceTree tree = tree();
            assertThat(device(tree, "sound_pcmC0D0p").parent()).isEqualTo("sound_card0");
            assertThat(cap(tree, "sound_controlC0", SoundCapability.class))
                    .isEqualTo(new SoundCapability("control", 0, null, null));
            assertThat(cap(tree, "sound_pcmC0D0p", SoundCapability.class))
                    .isEqualTo(new SoundCapability("pcm_playback", 0, 0, null));
            assertThat(cap(tree, "sound_pcmC0D3c", SoundCapability.class))
                    .isEqualTo(new SoundCapability("pcm_capture", 0, 3, null));
            assertThat(cap(tree, "sound_hwC0D0", SoundCapability.class))
                    .isEqualTo(new SoundCapability("hwdep", 0, 0, null));
        }

        @Test
        void globalNodesBelongToNoCard() {
            DeviceTree tree = tree();
            assertThat(cap(tree, "sound_timer", SoundCapability.class))
                    .isEqualTo(new SoundCapability("timer", null, null, null));
            assertThat(cap(tree, "sound_seq", SoundCapability.class))
                    .isEqualTo(new SoundCapability("sequencer", null, null, null));
        }
    }

    @Nested
    class OnHostileInput {

        @TempDir
        Path root;

        @Test
        void blankOrUnreadableCardIdIsAbsent() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.classDevice(CARD, "sound").attr("id", "   ");
            fs.classDevice("virtual/sound/card1", "sound");
            fs.dir("sys/devices/virtual/sound/card1/id");
            DeviceTree tree = scan(root);
            assertThat(cap(tree, "sound_card0", SoundCapability.class).id()).isNull();
            assertThat(cap(tree, "sound_card1", SoundCapability.class))
                    .isEqualTo(new SoundCapability("card", 1, null, null));
        }

        @Test
        void ossEmulationNodesStayGeneric() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.classDevice(CARD + "/dsp", "sound");
            assertThat(device(scan(root), "sound_dsp").capabilityTypes()).containsExactly("generic");
        }
    }

    @Nested
    class Names {
        @ParameterizedTest
        @CsvSource(nullValues = "-", value = {
                "card0, card, 0, -",
                "card31, card, 31, -",
                "controlC2, control, 2, -",
                "pcmC0D0p, pcm_playback, 0, 0",
                "pcmC1D7c, pcm_capture, 1, 7",
                "hwC0D2, hwdep, 0, 2",
                "midiC3D0, midi, 3, 0",
                "comprC0D5, compress, 0, 5",
                "timer, timer, -, -",
                "seq, sequencer, -, -"})
        void nodeNamesGiveKindCardAndDevice(String name, String kind, Integer card, Integer device) {
            assertThat(SoundReader.node(name)).isEqualTo(new SoundReader.Node(kind, card, device));
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "card", "cardX", "controlC", "pcmC0D0", "pcmC0D0x", "pcmC0p", "hwC0", "midiD0",
                "dsp", "mixer", "audio", "sequencer", "timer0", "card99999999999", "pcmC0D99999999999p",
                "card\u0661"})
        void otherNamesAreNotNodesWeKnow(String name) {
            assertThat(SoundReader.node(name)).isNull();
        }
    }
}
