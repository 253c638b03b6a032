package io.hostdev.model;

import com.fasterxml.jackson.databind.node.IntNode;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.DeviceState;
import io.hostdev.model.change.FieldChange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeEventJsonTest {

    static DeviceState state(int mtu) {
        Device d = new Device("net_eth0", "computer", "/sys/devices/virtual/net/eth0", "net", null, null, null, List.of(),
                List.of("eth0"), List.of(), mtu < 0);
        return new DeviceState(d, new DeviceContext(List.of("computer"), new TreeSet<>(List.of("pci"))));
    }

    @Test
    void eventsRoundTripThroughJson() throws Exception {
        for (ChangeEvent e : List.of(ChangeEvent.added(state(1500)), ChangeEvent.removed(state(1500)),
                ChangeEvent.updated(state(1500), state(-1), List.of(new FieldChange("stale", null,
                        com.fasterxml.jackson.databind.node.BooleanNode.TRUE), new FieldChange("net.mtu",
                        IntNode.valueOf(1500), IntNode.valueOf(9000)))))) {
            String json = ModelJson.toJson(e);
            assertThat(json).contains("\"kind\": \"" + e.kind().json() + "\"");
            ChangeEvent back = ModelJson.reader().readValue(json, ChangeEvent.class);
            assertThat(back).isEqualTo(e);
            assertThat(ModelJson.toJson(back)).isEqualTo(json);
        }
    }

    @Test
    void kindAndStatesMustAgree() {
        assertThatThrownBy(() -> new ChangeEvent(ChangeEvent.Kind.ADDED, "x", state(1), state(1), List.of()))
                .hasMessageContaining("only an after state");
        assertThatThrownBy(() -> new ChangeEvent(ChangeEvent.Kind.UPDATED, "x", null, state(1), List.of()))
                .hasMessageContaining("both states");
    }
}
