package io.hostdev.model.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.StorageCapability;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class TreeDiffTest {

    static Device dev(String name, String parent, String subsystem, String bus) {
        return new Device(name, parent, null, subsystem, bus, null, null, List.of(), List.of(), List.of(), false);
    }

    static Device nic(String iface, String parent, int mtu) {
        return new Device("net_" + iface, parent, "/sys/devices/virtual/net/" + iface, "net", null, null, null,
                List.of(), List.of(iface), List.of(new NetCapability(iface, "52:54:00:12:34:56", 2, mtu,
                new NetCapability.Link("up", 1000L), NetCapability.Kind.PHYSICAL, null, null, null, null, null,
                null)), false);
    }

    /** computer → pci_root (pci) → virtio0 (virtio) → net_eth0; computer → tty0. */
    static List<Device> base() {
        return List.of(
                dev("computer", null, null, null),
                dev("pci_root", "computer", "pci", "pci"),
                dev("virtio0", "pci_root", "virtio", "virtio"),
                nic("eth0", "virtio0", 1500),
                dev("tty0", "computer", "tty", null));
    }

    static DeviceTree tree(List<Device> devices) {
        return DeviceTree.of(devices);
    }

    static List<Device> replace(List<Device> devices, String name, UnaryOperator<Device> change) {
        List<Device> out = new ArrayList<>();
        for (Device d : devices) {
            out.add(d.name().equals(name) ? change.apply(d) : d);
        }
        return out;
    }

    static List<Device> plus(List<Device> devices, Device... more) {
        List<Device> out = new ArrayList<>(devices);
        out.addAll(List.of(more));
        return out;
    }

    static List<Device> minus(List<Device> devices, String... names) {
        List<String> gone = List.of(names);
        return devices.stream().filter(d -> !gone.contains(d.name())).toList();
    }

    static List<String> summary(List<ChangeEvent> events) {
        return events.stream().map(e -> e.kind().json() + " " + e.name()).toList();
    }

    static List<String> fields(ChangeEvent e) {
        return e.changes().stream().map(FieldChange::field).toList();
    }

    @Nested
    class Kinds {
        @Test
        void identicalTreesHaveNoEvents() {
            assertThat(TreeDiff.diff(tree(base()), tree(base()))).isEmpty();
        }

        @Test
        void aNewSubtreeArrivesParentFirstWithItsContext() {
            List<ChangeEvent> events = TreeDiff.diff(tree(base()), tree(plus(base(),
                    dev("usb_1", "pci_root", "usb", "usb"), dev("usb_1_1", "usb_1", "usb", "usb"),
                    nic("eth1", "usb_1_1", 1500))));
            assertThat(summary(events)).containsExactly("added usb_1", "added usb_1_1", "added net_eth1");
            ChangeEvent nic = events.get(2);
            assertThat(nic.after().context().ancestors()).containsExactly("usb_1_1", "usb_1", "pci_root", "computer");
            assertThat(nic.after().context().buses()).containsExactly("pci", "usb");
            assertThat(nic.changes()).isEmpty();
        }

        @Test
        void aRemovedSubtreeLeavesDeepestFirst() {
            List<ChangeEvent> events = TreeDiff.diff(tree(base()), tree(minus(base(), "pci_root", "virtio0",
                    "net_eth0")));
            assertThat(summary(events)).containsExactly("removed net_eth0", "removed virtio0", "removed pci_root");
            assertThat(events.get(0).before().device()).isEqualTo(nic("eth0", "virtio0", 1500));
            assertThat(events.get(0).before().context().buses()).containsExactly("pci", "virtio");
        }

        @Test
        void aRenamedInterfaceIsOneRemovalAndOneAddition() {
            List<ChangeEvent> events = TreeDiff.diff(tree(base()),
                    tree(plus(minus(base(), "net_eth0"), nic("ens3", "virtio0", 1500))));
            assertThat(summary(events)).containsExactly("added net_ens3", "removed net_eth0");
        }

        @Test
        void aChangedFieldIsOneUpdateWithOldAndNewValues() {
            List<ChangeEvent> events = TreeDiff.diff(tree(base()),
                    tree(replace(base(), "net_eth0", d -> nic("eth0", "virtio0", 9000))));
            assertThat(summary(events)).containsExactly("updated net_eth0");
            assertThat(events.get(0).changes()).containsExactly(
                    new FieldChange("net.mtu", IntNode.valueOf(1500), IntNode.valueOf(9000)));
            assertThat(events.get(0).before().device().capability(NetCapability.class).orElseThrow().mtu())
                    .isEqualTo(1500);
            assertThat(events.get(0).after().device().capability(NetCapability.class).orElseThrow().mtu())
                    .isEqualTo(9000);
        }
    }

    @Nested
    class Order {
        @Test
        void additionsThenUpdatesThenRemovals() {
            List<Device> after = replace(plus(minus(base(), "tty0"), dev("tty1", "computer", "tty", null)),
                    "net_eth0", d -> nic("eth0", "virtio0", 9000));
            assertThat(summary(TreeDiff.diff(tree(base()), tree(after))))
                    .containsExactly("added tty1", "updated net_eth0", "removed tty0");
        }

        @Test
        void aChildRescuedFromARemovedParentMovesBeforeTheParentGoes() {
            // virtio0 goes away but its interface reappears under a new bridge device: applying the
            // events in order, net_eth0 never points at a missing parent
            List<Device> after = replace(plus(minus(base(), "virtio0"), dev("virtio1", "pci_root", "virtio", "virtio")),
                    "net_eth0", d -> d.withParent("virtio1"));
            List<ChangeEvent> events = TreeDiff.diff(tree(base()), tree(after));
            assertThat(summary(events)).containsExactly("added virtio1", "updated net_eth0", "removed virtio0");
            assertThat(events.get(1).changes()).containsExactly(
                    new FieldChange("parent", TextNode.valueOf("virtio0"), TextNode.valueOf("virtio1")),
                    new FieldChange("context.ancestors",
                            ModelJsonNodes.array("virtio0", "pci_root", "computer"),
                            ModelJsonNodes.array("virtio1", "pci_root", "computer")));
        }

        @Test
        void isTheSameWhateverOrderTheTreesWereBuiltIn() {
            List<Device> after = replace(plus(minus(base(), "tty0"), dev("a", "computer", "x", null),
                    dev("b", "a", "x", null)), "virtio0", d -> d.withAliases(List.of("v")));
            List<Device> reversedBefore = new ArrayList<>(base());
            java.util.Collections.reverse(reversedBefore);
            List<Device> reversedAfter = new ArrayList<>(after);
            java.util.Collections.reverse(reversedAfter);
            assertThat(TreeDiff.diff(tree(reversedBefore), tree(reversedAfter)))
                    .isEqualTo(TreeDiff.diff(tree(base()), tree(after)));
        }
    }

    @Nested
    class Context {
        @Test
        void aRenamedAncestorUpdatesEveryDescendantsAncestors() {
            // pci_root → pci_root2: a removal and an addition, and both of its descendants move
            List<Device> after = new ArrayList<>(minus(base(), "pci_root"));
            after.add(dev("pci_root2", "computer", "pci", "pci"));
            after = replace(after, "virtio0", d -> d.withParent("pci_root2"));
            List<ChangeEvent> events = TreeDiff.diff(tree(base()), tree(after));
            assertThat(summary(events)).containsExactly("added pci_root2", "updated virtio0", "updated net_eth0",
                    "removed pci_root");
            assertThat(fields(events.get(1))).containsExactly("parent", "context.ancestors");
            assertThat(fields(events.get(2))).containsExactly("context.ancestors");
            assertThat(events.get(2).after().context().ancestors())
                    .containsExactly("virtio0", "pci_root2", "computer");
        }

        @Test
        void aBusAppearingOnThePathUpdatesTheDescendantsBuses() {
            // the root port now reports a bus the subscriber of bus='usb' cares about
            List<Device> after = replace(base(), "pci_root", d -> dev("pci_root", "computer", "pci", "usb"));
            List<ChangeEvent> events = TreeDiff.diff(tree(base()), tree(after));
            assertThat(summary(events)).containsExactly("updated pci_root", "updated virtio0", "updated net_eth0");
            assertThat(events.get(0).changes()).containsExactly(
                    new FieldChange("bus", TextNode.valueOf("pci"), TextNode.valueOf("usb")),
                    new FieldChange("context.buses", ModelJsonNodes.array("pci"), ModelJsonNodes.array("usb")));
            assertThat(events.get(2).changes()).containsExactly(new FieldChange("context.buses",
                    ModelJsonNodes.array("pci", "virtio"), ModelJsonNodes.array("usb", "virtio")));
            assertThat(events.get(2).before().device()).isEqualTo(events.get(2).after().device());
        }

        @Test
        void aBusAlreadyOnThePathChangesNothingBelow() {
            // virtio0 loses its own bus, but "virtio" is not on anyone else's path: only virtio0 and its
            // child see it; a bus that stays on the path through another ancestor is no change
            List<Device> before = replace(base(), "virtio0", d -> dev("virtio0", "pci_root", "virtio", "pci"));
            List<Device> after = replace(base(), "virtio0", d -> dev("virtio0", "pci_root", "virtio", null));
            List<ChangeEvent> events = TreeDiff.diff(tree(before), tree(after));
            assertThat(summary(events)).containsExactly("updated virtio0");
            assertThat(fields(events.get(0))).containsExactly("bus");
        }
    }

    @Nested
    class Fields {
        @Test
        void listsAreComparedAsWholeValues() {
            List<ChangeEvent> events = TreeDiff.diff(tree(base()),
                    tree(replace(base(), "net_eth0", d -> d.withAliases(List.of("eth0", "ens3")))));
            assertThat(events.get(0).changes()).containsExactly(new FieldChange("aliases",
                    ModelJsonNodes.array("eth0"), ModelJsonNodes.array("ens3", "eth0")));
        }

        @Test
        void aNewCapabilityIsOneChangeHoldingItsWholeObject() {
            StorageCapability disk = new StorageCapability(StorageCapability.Kind.DISK, "vda", 1024L, 512, false,
                    false, false, null, null, null, null, null, null, null, null, null);
            Device withDisk = new Device("tty0", "computer", null, "tty", null, null, null, List.of(), List.of(),
                    List.of(disk), false);
            List<ChangeEvent> events = TreeDiff.diff(tree(base()), tree(replace(base(), "tty0", d -> withDisk)));
            assertThat(fields(events.get(0))).containsExactly("caps", "storage");
            FieldChange storage = events.get(0).changes().get(1);
            assertThat(storage.before()).isNull();
            assertThat(storage.after().get("size").asLong()).isEqualTo(1024);
            FieldChange caps = events.get(0).changes().get(0);
            assertThat(caps.before()).isNull();
            assertThat(caps.after()).isEqualTo(ModelJsonNodes.array("storage"));
        }

        @Test
        void nestedObjectsAreDescendedInto() {
            List<Device> after = replace(base(), "net_eth0", d -> new Device(d.name(), d.parent(), d.path(),
                    d.subsystem(), d.bus(), d.devtype(), "virtio_net", d.devnodes(), d.aliases(),
                    List.of(new NetCapability("eth0", "52:54:00:12:34:56", 2, 1500,
                            new NetCapability.Link("down", null), NetCapability.Kind.PHYSICAL, null, null, null,
                            null, null, null)), false));
            List<ChangeEvent> events = TreeDiff.diff(tree(base()), tree(after));
            assertThat(events.get(0).changes()).containsExactly(
                    new FieldChange("driver", null, TextNode.valueOf("virtio_net")),
                    new FieldChange("net.link.state", TextNode.valueOf("up"), TextNode.valueOf("down")),
                    new FieldChange("net.link.speed", IntNode.valueOf(1000), null));
        }

        @Test
        void staleReadsFalseWhenTheJsonLeavesItOut() {
            List<ChangeEvent> marked = TreeDiff.diff(tree(base()), tree(replace(base(), "tty0", d -> d.withStale(true))));
            assertThat(marked.get(0).changes())
                    .containsExactly(new FieldChange("stale", BooleanNode.FALSE, BooleanNode.TRUE));
            List<ChangeEvent> cleared = TreeDiff.diff(tree(replace(base(), "tty0", d -> d.withStale(true))), tree(base()));
            assertThat(cleared.get(0).changes())
                    .containsExactly(new FieldChange("stale", BooleanNode.TRUE, BooleanNode.FALSE));
        }

        @Test
        void rawAttributesWithDotsInTheirNamesChangeAsOneObject() {
            Device before = new Device("tty0", "computer", null, "tty", null, null, null, List.of(), List.of(),
                    List.of(GenericCapability.of("tty", Map.of("power.state", "on", "type", "4"))), false);
            Device after = new Device("tty0", "computer", null, "tty", null, null, null, List.of(), List.of(),
                    List.of(GenericCapability.of("tty", Map.of("power.state", "off", "type", "4"))), false);
            List<ChangeEvent> events = TreeDiff.diff(tree(replace(base(), "tty0", d -> before)),
                    tree(replace(base(), "tty0", d -> after)));
            assertThat(fields(events.get(0))).containsExactly("generic.attributes");
            assertThat(events.get(0).changes().get(0).after().get("power.state").asText()).isEqualTo("off");
        }

        @Test
        void rawAttributesWithPlainNamesChangeOneByOne() {
            Device before = new Device("tty0", "computer", null, "tty", null, null, null, List.of(), List.of(),
                    List.of(GenericCapability.of("tty", Map.of("a", "1", "b", "2"))), false);
            Device after = new Device("tty0", "computer", null, "tty", null, null, null, List.of(), List.of(),
                    List.of(GenericCapability.of("tty", Map.of("b", "3", "c", "4"))), false);
            List<ChangeEvent> events = TreeDiff.diff(tree(replace(base(), "tty0", d -> before)),
                    tree(replace(base(), "tty0", d -> after)));
            assertThat(events.get(0).changes()).containsExactly(
                    new FieldChange("generic.attributes.a", TextNode.valueOf("1"), null),
                    new FieldChange("generic.attributes.b", TextNode.valueOf("2"), TextNode.valueOf("3")),
                    new FieldChange("generic.attributes.c", null, TextNode.valueOf("4")));
        }

        @Test
        void aDifferenceTheJsonCannotShowIsNoEvent() {
            // the model's JSON writes an empty string as absent, so no client could see this change
            Device before = new Device("tty0", "computer", null, "tty", null, null, null, List.of(), List.of(),
                    List.of(GenericCapability.of("tty", Map.of("a", "1"))), false);
            Device after = new Device("tty0", "computer", null, "tty", null, null, null, List.of(), List.of(),
                    List.of(GenericCapability.of("tty", Map.of("a", "1", "b", ""))), false);
            assertThat(TreeDiff.diff(tree(replace(base(), "tty0", d -> before)),
                    tree(replace(base(), "tty0", d -> after)))).isEmpty();
        }

        @Test
        void eventsRoundTripThroughJsonEqualToThemselves() throws Exception {
            // small Longs read back as ints, an empty object stays one
            List<Device> after = plus(replace(base(), "net_eth0", d -> nic("eth0", "virtio0", 9000)),
                    dev("x", "computer", "x", null));
            after = replace(after, "tty0", d -> new Device("tty0", "computer", null, "tty", null, null, null,
                    List.of(), List.of(), List.of(new NetCapability(null, null, null, null,
                    new NetCapability.Link(null, null), null, null, null, null, null, null, null),
                    GenericCapability.of("tty", Map.of("online", "1"))), true));
            List<ChangeEvent> events = TreeDiff.diff(tree(base()), tree(after));
            assertThat(events).hasSize(3);
            for (ChangeEvent e : events) {
                String json = ModelJson.toJson(e);
                assertThat(ModelJson.reader().readValue(json, ChangeEvent.class)).as(json).isEqualTo(e);
            }
        }
    }

    @Nested
    class JsonComparison {
        @ParameterizedTest(name = "{0} vs {1} → {2}")
        @CsvSource(delimiter = '|', value = {
                "{\"a\":1}                 | {\"a\":1}                 | ''",
                "{\"a\":1}                 | {\"a\":2}                 | a:1→2",
                "{\"a\":1}                 | {}                        | a:1→absent",
                "{}                        | {\"a\":[1]}               | a:absent→[1]",
                "{\"a\":[1,2]}             | {\"a\":[2,1]}             | a:[1,2]→[2,1]",
                "{\"a\":{\"b\":1,\"c\":2}} | {\"a\":{\"b\":1,\"c\":3}} | a.c:2→3",
                "{\"a\":{\"b\":1}}         | {\"a\":5}                 | a:{\"b\":1}→5",
                "{\"a\":{}}                | {\"a\":{\"b\":{}}}        | a.b:absent→{}",
                "{\"a\":{\"x.y\":1}}       | {\"a\":{\"x.y\":2}}       | a:{\"x.y\":1}→{\"x.y\":2}",
                "{\"a\":1,\"c\":3}         | {\"b\":2,\"c\":4}         | a:1→absent;b:absent→2;c:3→4",
                "{\"a\":1,\"c\":3}         | {\"a\":1,\"b\":2,\"c\":3} | b:absent→2",
        })
        void objectsAreComparedKeyByKeyAndEverythingElseWhole(String before, String after, String expected)
                throws Exception {
            List<FieldChange> out = new ArrayList<>();
            TreeDiff.diffObjects("", read(before), read(after), out);
            assertThat(out.stream().map(c -> c.field() + ":" + text(c.before()) + "→" + text(c.after()))
                    .reduce((x, y) -> x + ";" + y).orElse("")).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} + {1} → {2}")
        @CsvSource(delimiter = '|', value = {
                "a,b,c | a,b,c | a,b,c",
                "a,c   | b,c   | a,b,c",
                "a,b   | b,c   | a,b,c",
                "b,c   | a,b   | a,b,c",
                "''    | a     | a",
                "a,b   | ''    | a,b",
                "a,b   | b,a   | a,b",
        })
        void keysOfBothSidesKeepTheWritersOrder(String before, String after, String expected) throws Exception {
            assertThat(String.join(",", TreeDiff.mergedKeys(object(before), object(after)))).isEqualTo(expected);
        }

        static JsonNode read(String json) throws Exception {
            return ModelJson.reader().readTree(json);
        }

        static String text(JsonNode n) {
            return n == null ? "absent" : n.toString();
        }

        static JsonNode object(String keys) throws Exception {
            StringBuilder sb = new StringBuilder("{");
            for (String k : keys.isEmpty() ? new String[0] : keys.split(",")) {
                sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":0");
            }
            return read(sb.append('}').toString());
        }
    }
}
