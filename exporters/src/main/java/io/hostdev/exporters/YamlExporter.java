package io.hostdev.exporters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hostdev.model.Device;
import io.hostdev.model.ModelJson;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * The same documents as {@link JsonExporter}, in YAML. Every string value is quoted: unquoted,
 * YAML 1.1 parsers (PyYAML, Go's yaml.v2) read {@code 0x8086} as an integer, {@code 00:03.0} as a
 * base-60 float and a MAC such as {@code 12:34:56:12:34:56} as a base-60 integer.
 */
public final class YamlExporter {

    private static final YAMLMapper MAPPER = ModelJson.configure(YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build()))
            .build();

    private YamlExporter() {
    }

    public static String devices(List<Device> devices, ListSummary summary) {
        return write(JsonExporter.listing(devices, summary));
    }

    public static String device(Device device) {
        return write(device);
    }

    /** The host capabilities document. */
    public static String capabilities(io.hostdev.model.host.Capabilities caps) {
        return write(caps);
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
