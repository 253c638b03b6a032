package io.hostdev.exporters.libvirt;

import io.hostdev.exporters.libvirt.testing.LibvirtSchemas;
import io.hostdev.model.Device;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model coverage check: each of libvirt's own node-device test documents
 * ({@code tests/nodedevschemadata/*.xml}, except the {@code *-invalid.xml} ones, which are meant
 * to fail) is read into hostdev's model by {@link NodeDeviceXmlReader} and written back by
 * {@link NodeDeviceXmlExporter}. The result must validate against nodedev.rng, and every element
 * and attribute that survives must keep its values, with nothing added. What does not survive must
 * be exactly what the table in docs/libvirt-xml-coverage.md lists, document by document.
 */
class NodeDeviceCoverageTest {

    static final String TABLE = "docs/libvirt-xml-coverage.md";

    record RoundTrip(String document, String original, String written) {
        ElementPaths before() {
            return ElementPaths.of(original);
        }

        ElementPaths after() {
            return ElementPaths.of(written);
        }

        /** The paths that were dropped whole, each given by its topmost dropped ancestor. */
        TreeSet<String> dropped() {
            ElementPaths before = before();
            ElementPaths after = after();
            TreeSet<String> missing = new TreeSet<>(before.values.keySet());
            missing.removeAll(after.values.keySet());
            TreeSet<String> topmost = new TreeSet<>();
            for (String p : missing) {
                if (!missing.contains(ElementPaths.parentOf(p))) {
                    topmost.add(p);
                }
            }
            return topmost;
        }
    }

    static List<RoundTrip> roundTrips() throws IOException {
        Path dir = LibvirtSchemas.require().resolve("tests/nodedevschemadata");
        List<RoundTrip> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".xml") || name.endsWith("-invalid.xml")) {
                    continue;
                }
                String original = Files.readString(f, StandardCharsets.UTF_8);
                Optional<Device> device = NodeDeviceXmlReader.read(original);
                assertThat(device).as("%s reads as a device", name).isPresent();
                out.add(new RoundTrip(name.substring(0, name.length() - 4), original,
                        NodeDeviceXmlExporter.device(device.get())));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentRoundTripsValidAndKeepsTheValuesItKeeps() throws IOException {
        return roundTrips().stream().map(rt -> DynamicTest.dynamicTest(rt.document(), () -> {
            assertThat(LibvirtSchemas.nodedevErrors(rt.written())).as("schema errors of\n%s", rt.written()).isEmpty();
            ElementPaths before = rt.before();
            ElementPaths after = rt.after();
            Map<String, String> changed = new TreeMap<>();
            after.values.forEach((path, values) -> {
                List<String> was = before.values.get(path);
                if (!values.equals(was)) {
                    changed.put(path, was + " -> " + values);
                }
            });
            assertThat(changed).as("paths written with other values than read (null: added)\n%s", rt.written())
                    .isEmpty();
        }));
    }

    @Test
    void theDroppedElementsAreExactlyTheCoverageTable() throws IOException {
        Map<String, TreeSet<String>> actual = new TreeMap<>();
        List<RoundTrip> trips = roundTrips();
        for (RoundTrip rt : trips) {
            rt.dropped().forEach(p -> actual.computeIfAbsent(p, k -> new TreeSet<>()).add(rt.document()));
        }
        Map<String, TreeSet<String>> table = table(repository().resolve(TABLE));
        StringBuilder expectedRows = new StringBuilder();
        actual.forEach((p, docs) -> expectedRows.append("| `").append(p).append("` | ")
                .append(String.join(", ", docs)).append(" | |\n"));
        assertThat(actual).as("%s must list exactly what the round trip of %d documents drops; the rows it "
                + "should have (add the reasons):\n%s", TABLE, trips.size(), expectedRows).isEqualTo(table);
    }

    /** Rows {@code | `PATH` | doc, doc | why |} of the coverage table. */
    static Map<String, TreeSet<String>> table(Path file) throws IOException {
        Map<String, TreeSet<String>> rows = new TreeMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.startsWith("| `/")) {
                continue;
            }
            String[] cells = line.split(" \\| ");
            String path = cells[0].substring(3, cells[0].length() - 1);
            TreeSet<String> docs = new TreeSet<>();
            for (String d : cells[1].split(",")) {
                if (!d.isBlank()) {
                    docs.add(d.strip().replace("`", ""));
                }
            }
            rows.put(path, docs);
        }
        return rows;
    }

    static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
