package io.hostdev.model.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostdev.model.ModelJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber, strictly: applies events to the states it holds with {@link Patch}, which fails on
 * any event that does not fit them (an addition of a device it has, a removal or update whose
 * {@code before} is not what it holds), and checks what it holds after each.
 */
final class Replay {

    private Replay() {
    }

    static Map<String, DeviceState> index(List<DeviceState> states) {
        return Patch.index(states);
    }

    interface Check {
        void after(ChangeEvent event, Map<String, DeviceState> state);
    }

    /** {@link Patch#step} one event at a time, with {@code check} after each. */
    static Map<String, DeviceState> apply(Map<String, DeviceState> start, List<ChangeEvent> events, Check check) {
        Map<String, DeviceState> state = new LinkedHashMap<>(start);
        for (ChangeEvent e : events) {
            Patch.step(state, e);
            check.after(e, state);
        }
        return state;
    }

    static Map<String, DeviceState> apply(Map<String, DeviceState> start, List<ChangeEvent> events) {
        return apply(start, events, (e, s) -> { });
    }

    /** Every device's parent is held, and following parents always ends at a root. */
    static void assertIsATree(ChangeEvent last, Map<String, DeviceState> state) {
        for (DeviceState s : state.values()) {
            String name = s.device().name();
            String parent = s.device().parent();
            for (int steps = 0; parent != null; steps++) {
                assertThat(state).as("after %s %s: parent %s of %s", last.kind().json(), last.name(), parent, name)
                        .containsKey(parent);
                assertThat(steps).as("after %s %s: %s is in a parent cycle", last.kind().json(), last.name(), name)
                        .isLessThan(state.size());
                parent = state.get(parent).device().parent();
            }
        }
    }

    /** The state as one JSON object: the device as the model writes it, with {@code stale} always, and its context. */
    static ObjectNode json(DeviceState s) {
        try {
            ObjectNode device = (ObjectNode) ModelJson.reader().readTree(ModelJson.toJson(s.device()));
            if (!device.has("stale")) {
                device.set("stale", BooleanNode.FALSE);
            }
            device.set("context", ModelJson.reader().readTree(ModelJson.toJson(s.context())));
            return device;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The before state's JSON with each field change written into it. */
    static ObjectNode patch(DeviceState before, List<FieldChange> changes) {
        ObjectNode root = json(before);
        for (FieldChange c : changes) {
            String[] path = c.field().split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode next = node.get(path[i]);
                assertThat(next).as("%s: %s is an object on the before side", c.field(), path[i])
                        .isInstanceOf(ObjectNode.class);
                node = (ObjectNode) next;
            }
            String leaf = path[path.length - 1];
            assertThat(node.get(leaf)).as("%s: before", c.field()).isEqualTo(c.before());
            if (c.after() == null) {
                node.remove(leaf);
            } else {
                node.set(leaf, c.after());
            }
        }
        return root;
    }
}
