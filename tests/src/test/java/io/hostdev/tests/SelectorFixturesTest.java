package io.hostdev.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.select.Fields;
import io.hostdev.model.select.Selector;
import io.hostdev.tests.golden.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Selectors over every fixture host's devices, read back from the golden listings (which the golden tests keep equal
 * to what the CLI prints for each fixture): the field resolver gives exactly what each device's JSON holds at every
 * path, and typical selectors select what the JSON says they should.
 */
class SelectorFixturesTest {

    static Stream<Path> listings() throws IOException {
        try (Stream<Path> s = Files.list(Golden.resources().resolve("golden"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".list.json")).sorted().toList().stream();
        }
    }

    static List<Device> devices(Path listing) throws IOException {
        JsonNode doc = ModelJson.reader().readTree(Files.readString(listing));
        List<Device> out = new ArrayList<>();
        for (JsonNode d : doc.get("devices")) {
            out.add(ModelJson.reader().treeToValue(d, Device.class));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listings")
    void everyFieldOfEveryDeviceResolvesToItsJson(Path listing) throws IOException {
        DeviceTree tree = DeviceTree.of(devices(listing));
        int checked = 0;
        for (Device d : tree.devices()) {
            JsonNode json = ModelJson.reader().readTree(ModelJson.toJson(d));
            for (String path : paths(d)) {
                List<String> expected = switch (path) {
                    case "bus" -> tree.context(d.name()).buses().stream().map(b -> "s:" + b).toList();
                    case "cap" -> atPath(json, "caps");
                    case "source" -> atPath(json, "sources");
                    case "stale" -> List.of("b:" + d.stale());
                    default -> atPath(json, path);
                };
                assertThat(resolved(path, d, tree)).as("%s of %s", path, d.name()).isEqualTo(expected);
                checked += expected.size();
            }
        }
        assertThat(checked).isGreaterThan(tree.size() * 5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listings")
    void typicalSelectorsSelectWhatTheJsonSays(Path listing) throws IOException {
        DeviceTree tree = DeviceTree.of(devices(listing));
        List<String> pciNets = new ArrayList<>();
        List<String> sized = new ArrayList<>();
        List<String> intel = new ArrayList<>();
        for (Device d : tree.devices()) {
            boolean onPci = tree.ancestors(d.name()).stream().anyMatch(a -> "pci".equals(a.bus()))
                    || "pci".equals(d.bus());
            if (onPci && d.capabilityTypes().contains("net")) {
                pciNets.add(d.name());
            }
            JsonNode json = ModelJson.reader().readTree(ModelJson.toJson(d));
            if (json.at("/storage/size").asLong(0) > 0) {
                sized.add(d.name());
            }
            if (json.at("/pci/vendor/id").asText().equals("0x8086")) {
                intel.add(d.name());
            }
        }
        assertThat(names(tree, "bus='pci' and cap='net'")).isEqualTo(pciNets);
        assertThat(names(tree, "cap='storage' and storage.size > 0")).isEqualTo(sized);
        assertThat(names(tree, "pci.vendor.id == 0x8086")).isEqualTo(intel);
        assertThat(names(tree, "exists(name)")).hasSize(tree.size());
        assertThat(names(tree, "under('computer')")).hasSize(tree.size());
    }

    static List<String> names(DeviceTree tree, String selector) {
        return Selector.parse(selector).select(tree).stream().map(Device::name).toList();
    }

    static List<String> paths(Device d) {
        List<String> out = new ArrayList<>();
        for (Fields.Field f : Fields.all()) {
            if (!f.path().endsWith(".*")) {
                out.add(f.path());
            }
        }
        d.capability(GenericCapability.class).ifPresent(g -> g.attributes().keySet()
                .forEach(k -> out.add(Fields.ATTRIBUTES + "." + k)));
        return out;
    }

    static List<String> resolved(String path, Device d, DeviceTree tree) {
        List<String> out = new ArrayList<>();
        for (Object v : Fields.values(path, d, tree.context(d.name()))) {
            out.add(v == Fields.OBJECT ? "o" : v instanceof String s ? "s:" + s : v instanceof Long l ? "n:" + l
                    : v instanceof Double x ? "d:" + x : "b:" + v);
        }
        return out;
    }

    /** What a JSON reader finds at a dotted path, lists flattened wherever they are. */
    static List<String> atPath(JsonNode root, String path) {
        String attrs = Fields.ATTRIBUTES + ".";
        List<String> segments = new ArrayList<>();
        if (path.startsWith(attrs)) {
            segments.addAll(List.of("generic", "attributes", path.substring(attrs.length())));
        } else {
            segments.addAll(List.of(path.split("\\.")));
        }
        List<JsonNode> nodes = List.of(root);
        for (String seg : segments) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : flatten(nodes)) {
                if (n.isObject() && n.get(seg) != null) {
                    next.add(n.get(seg));
                }
            }
            nodes = next;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : flatten(nodes)) {
            out.add(n.isObject() ? "o" : n.isTextual() ? "s:" + n.asText() : n.isIntegralNumber() ? "n:" + n.asText()
                    : n.isFloatingPointNumber() ? "d:" + n.doubleValue() : "b:" + n.asBoolean());
        }
        return out;
    }

    private static List<JsonNode> flatten(List<JsonNode> nodes) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : nodes) {
            if (n.isArray()) {
                n.forEach(out::add);
            } else {
                out.add(n);
            }
        }
        return out;
    }
}
