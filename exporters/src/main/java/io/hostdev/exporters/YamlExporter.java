package io.hostdev.exporters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hostdev.model.Device;
import io.hostdev.model.ModelJson;

import java.io.UncheckedIOException;
import java.util.List;

/** The same documents as {@link JsonExporter}, in YAML. */
public final class YamlExporter {

    private static final YAMLMapper MAPPER = ModelJson.configure(YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
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

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
