package io.hostdev.model.select;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.cap.GenericCapability;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FieldsTest {

    @Nested
    class Catalogue {

        @Test
        void pathsAreTheJsonKeysUnderEachCapabilityWithTheirTypes() {
            assertThat(Fields.lookup("pci.vendor.id")).contains(new Fields.Field("pci.vendor.id", Fields.Type.STRING, false));
            assertThat(Fields.lookup("pci.class.id")).isPresent();
            assertThat(Fields.lookup("pci.device_class.id")).isEmpty();
            assertThat(Fields.lookup("net.interface")).isPresent();
            assertThat(Fields.lookup("net.link.speed")).contains(new Fields.Field("net.link.speed", Fields.Type.INTEGER, false));
            assertThat(Fields.lookup("pci.link.max.speed")).contains(new Fields.Field("pci.link.max.speed", Fields.Type.NUMBER, false));
            assertThat(Fields.lookup("pci.sriov.total_vfs")).contains(new Fields.Field("pci.sriov.total_vfs", Fields.Type.INTEGER, false));
            assertThat(Fields.lookup("pci.assignable")).contains(new Fields.Field("pci.assignable", Fields.Type.BOOLEAN, false));
            assertThat(Fields.lookup("pci.sriov")).contains(new Fields.Field("pci.sriov", Fields.Type.OBJECT, false));
            assertThat(Fields.lookup("pci.resources.start")).contains(new Fields.Field("pci.resources.start", Fields.Type.STRING, true));
            assertThat(Fields.lookup("pci.iommu_group.members")).contains(new Fields.Field("pci.iommu_group.members", Fields.Type.STRING, true));
            assertThat(Fields.lookup("storage.kind")).contains(new Fields.Field("storage.kind", Fields.Type.STRING, false));
            assertThat(Fields.lookup("usb_device.vendor.name")).isPresent();
            assertThat(Fields.lookup("generic.attributes.power_state")).contains(new Fields.Field("generic.attributes.power_state", Fields.Type.STRING, false));
            assertThat(Fields.lookup("generic.attributes.")).isEmpty();
            assertThat(Fields.lookup("bus")).contains(new Fields.Field("bus", Fields.Type.STRING, true));
            assertThat(Fields.lookup("cap")).contains(new Fields.Field("cap", Fields.Type.STRING, true));
            assertThat(Fields.lookup("stale")).contains(new Fields.Field("stale", Fields.Type.BOOLEAN, false));
            assertThat(Fields.lookup("pci.resources.size")).as("a method, not a component: not in the JSON").isEmpty();
            assertThat(Fields.lookup("pci.vendor.")).isEmpty();
            assertThat(Fields.lookup("pci..vendor")).isEmpty();
            assertThat(Fields.lookup("pci.vendor.id.x")).isEmpty();
            assertThat(Fields.all()).extracting(Fields.Field::path).contains("generic.attributes.*", "name", "aliases")
                    .isSorted();
        }

        @Test
        void closeMatchesAreByEditDistanceAndBySuffix() {
            assertThat(Fields.suggestions("pci.vendr.id")).containsExactly("pci.vendor.id");
            assertThat(Fields.suggestions("sriov.num_vfs")).containsExactly("pci.sriov.num_vfs");
            assertThat(Fields.suggestions("link.speed")).containsExactly("net.link.speed");
            assertThat(Fields.suggestions("capability")).isEmpty();
            assertThat(Fields.suggestions("drvier")).containsExactly("driver");
        }

        @Test
        void everyFieldIsDocumented() throws IOException {
            // surefire runs in the module's directory and names it in "basedir"
            Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
            Path doc = module.getParent().resolve("docs/selectors.md");
            String text = Files.readString(doc);
            List<String> missing = new ArrayList<>();
            for (Fields.Field f : Fields.all()) {
                if (!text.contains("`" + f.path() + "`")) {
                    missing.add(f.path());
                }
            }
            assertThat(missing).as("fields missing from docs/selectors.md").isEmpty();
        }

        @Test
        void theVocabularyCountsWhatExistsBusAndCapSelect() {
            DeviceTree t = SampleHost.tree();
            Vocabulary v = Vocabulary.of(t, DeviceMatcher.ALL);
            assertThat(v.fields()).containsEntry("name", t.size()).containsEntry("stale", t.size())
                    .containsEntry("pci.sriov.total_vfs", 1).containsEntry("net.link.speed", 2)
                    .containsEntry("generic.attributes.tpm_version_major", 1).containsEntry("bus", 12)
                    .doesNotContainKey("storage.serial").doesNotContainKey("pci.sriov.vfs");
            for (Map.Entry<String, Integer> e : v.fields().entrySet()) {
                assertThat(SampleHost.names("exists(" + e.getKey() + ")")).as(e.getKey()).hasSize(e.getValue());
            }
            assertThat(v.buses()).containsExactly(Map.entry("pci", 10), Map.entry("usb", 2), Map.entry("virtio", 5));
            v.buses().forEach((b, n) -> assertThat(SampleHost.names("bus = '" + b + "'")).hasSize(n));
            assertThat(v.caps()).containsEntry("net", 4).containsEntry("system", 1).hasSize(7);
            v.caps().forEach((c, n) -> assertThat(SampleHost.names("cap = '" + c + "'")).hasSize(n));

            Vocabulary pciOnly = Vocabulary.of(t, Selector.parse("cap = pci"));
            assertThat(pciOnly.caps()).containsOnlyKeys("pci");
            assertThat(pciOnly.buses()).containsOnlyKeys("pci");
            assertThat(pciOnly.fields()).containsEntry("pci.vendor.id", 4).doesNotContainKey("net");
        }
    }

    /** Every fixed path, and for a generic capability each of its attribute names and one it lacks. */
    static List<String> paths(Device d) {
        List<String> out = new ArrayList<>();
        for (Fields.Field f : Fields.all()) {
            if (!f.path().endsWith(".*")) {
                out.add(f.path());
            }
        }
        out.add(Fields.ATTRIBUTES + ".no_such_attribute");
        d.capability(GenericCapability.class).ifPresent(g -> g.attributes().keySet()
                .forEach(k -> out.add(Fields.ATTRIBUTES + "." + k)));
        return out;
    }

    static JsonNode json(Device d) {
        try {
            return ModelJson.reader().readTree(ModelJson.toJson(d));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> resolved(String path, Device d, DeviceContext c) {
        List<String> out = new ArrayList<>();
        for (Object v : Fields.values(path, d, c)) {
            out.add(v == Fields.OBJECT ? "o" : v instanceof String s ? "s:" + s : v instanceof Long l ? "n:" + l
                    : v instanceof Double x ? "d:" + x : v instanceof Boolean b ? "b:" + b : "?" + v);
        }
        return out;
    }

    /** What a JSON reader finds at a dotted path, lists flattened wherever they are. */
    static List<String> fromJson(JsonNode root, String path) {
        List<JsonNode> nodes = new ArrayList<>(List.of(root));
        String attrs = Fields.ATTRIBUTES + ".";
        List<String> segments = new ArrayList<>();
        if (path.startsWith(attrs)) {
            segments.addAll(List.of(Fields.ATTRIBUTES.split("\\.")));
            segments.add(path.substring(attrs.length()));
        } else {
            segments.addAll(List.of(path.split("\\.")));
        }
        for (String seg : segments) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : flatten(nodes)) {
                JsonNode child = n.isObject() ? n.get(seg) : null;
                if (child != null) {
                    next.add(child);
                }
            }
            nodes = next;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : flatten(nodes)) {
            out.add(n.isObject() ? "o" : n.isTextual() ? "s:" + n.asText() : n.isIntegralNumber() ? "n:" + n.asText()
                    : n.isFloatingPointNumber() ? "d:" + n.doubleValue() : n.isBoolean() ? "b:" + n.asBoolean()
                    : "?" + n);
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
