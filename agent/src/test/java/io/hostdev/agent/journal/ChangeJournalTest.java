package io.hostdev.agent.journal;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.DeviceState;
import io.hostdev.model.change.FieldChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeJournalTest {

    static {
        JournalFixtures.quietLogs();
    }

    @TempDir
    Path dir;

    static DeviceState state(String name, boolean stale) {
        Device d = new Device(name, "computer", "/sys/devices/virtual/net/" + name, "net", null, null, null, List.of(),
                List.of(name), List.of(), stale);
        return new DeviceState(d, new DeviceContext(List.of("computer"), new TreeSet<>(List.of("pci"))));
    }

    static final List<ChangeEvent> CYCLE = List.of(
            ChangeEvent.added(state("net_eth1", false)),
            ChangeEvent.removed(state("net_eth0", false)),
            ChangeEvent.updated(state("net_eth2", false), state("net_eth2", true),
                    List.of(new FieldChange("stale", null, BooleanNode.TRUE),
                            new FieldChange("net.mtu", IntNode.valueOf(1500), IntNode.valueOf(9000)))));

    static List<ChangeEvent> events(ReadResult<ChangeEvent> r) {
        assertThat(r).isInstanceOf(ReadResult.Page.class);
        return ((ReadResult.Page<ChangeEvent>) r).entries().stream().map(JournalEntry::value).toList();
    }

    @Test
    void eventsComeBackEqualAlsoAfterAReopen() {
        Cursor start;
        try (ChangeJournal j = ChangeJournal.open(dir, JournalConfig.DEFAULTS)) {
            start = j.head();
            assertThat(j.append(CYCLE).count()).isEqualTo(3);
            assertThat(events(j.read(start, 10))).isEqualTo(CYCLE);
        }
        try (ChangeJournal j = ChangeJournal.open(dir, JournalConfig.DEFAULTS)) {
            assertThat(events(j.read(start.encoded(), 10))).isEqualTo(CYCLE);
            assertThat(j.head().sequence()).isEqualTo(3);
        }
    }

    @Test
    void eachEventIsOneLineOfCompactJson() throws Exception {
        try (ChangeJournal j = ChangeJournal.open(dir, JournalConfig.DEFAULTS)) {
            j.append(CYCLE);
        }
        List<String> lines = Files.readAllLines(JournalFixtures.newestSegment(dir), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).contains(" {\"kind\":\"added\",\"name\":\"net_eth1\",");
        assertThat(lines.get(3)).contains("\"changes\":[{\"field\":\"stale\"");
    }

    @Test
    void aRecordThatIsNotAChangeEventIsAClearError() {
        try (ChangeJournal j = ChangeJournal.open(dir, JournalConfig.DEFAULTS)) {
            Cursor start = j.head();
            j.journal().append(JournalFixtures.batch("{\"kind\":\"exploded\"}"));
            assertThatThrownBy(() -> j.read(start, 10))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("not a change event");
        }
    }

    @Test
    void resyncAnswersPassThroughTheTypedLayer() {
        try (ChangeJournal j = ChangeJournal.open(dir, JournalConfig.DEFAULTS.withMaxRecords(1))) {
            Cursor start = j.head();
            j.append(CYCLE);
            assertThat(j.read(start, 10)).isInstanceOfSatisfying(ReadResult.Resync.class,
                    r -> assertThat(r.reason()).isEqualTo(ReadResult.Reason.EXPIRED));
        }
    }
}
