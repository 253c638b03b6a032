package io.hostdev.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostdev.model.cap.Capability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the model maps to JSON: snake_case keys, absent values and empty lists omitted, map keys
 * sorted, two-space indent with {@code \n} line ends. Equal values always give identical bytes.
 *
 * <p>A device is an object with its own fields, then {@code caps} (the list of capability types),
 * then one key per capability holding that capability's object.
 */
public final class ModelJson {

    private static final JsonMapper MAPPER = configure(JsonMapper.builder()).build();
    private static final ObjectWriter PRETTY = MAPPER.writer(prettyPrinter());

    private ModelJson() {
    }

    /** Applies the model's conventions to any Jackson mapper builder (JSON, YAML...). */
    public static <M extends com.fasterxml.jackson.databind.ObjectMapper, B extends MapperBuilder<M, B>> B configure(
            B builder) {
        return builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .serializationInclusion(JsonInclude.Include.NON_EMPTY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .addModule(module());
    }

    /** The device (de)serializers, for mappers built elsewhere. */
    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("hostdev-model");
        m.addSerializer(Device.class, new DeviceSerializer());
        m.addDeserializer(Device.class, new DeviceDeserializer());
        return m;
    }

    /** Indented JSON ending with a newline. */
    public static String toJson(Object value) {
        try {
            return PRETTY.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectWriter writer() {
        return PRETTY;
    }

    public static ObjectReader reader() {
        return MAPPER.reader();
    }

    /** A value as the JSON tree the model's conventions give it. */
    static ObjectNode tree(Capability value) {
        return MAPPER.valueToTree(value);
    }

    /** A value as the JSON tree the model's conventions give it. */
    static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** A capability read back from its JSON tree; null when the tree does not fit the record. */
    static <C extends Capability> C capability(JsonNode json, Class<C> type) {
        try {
            return MAPPER.treeToValue(json, type);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    public static Device readDevice(String json) throws IOException {
        return MAPPER.readValue(json, Device.class);
    }

    public static List<Device> readDevices(String jsonArray) throws IOException {
        return List.of(MAPPER.readValue(jsonArray, Device[].class));
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }

    private static final class DeviceSerializer extends JsonSerializer<Device> {
        @Override
        public void serialize(Device d, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("name", d.name());
            writeOptional(gen, "parent", d.parent());
            writeOptional(gen, "path", d.path());
            writeOptional(gen, "subsystem", d.subsystem());
            writeOptional(gen, "bus", d.bus());
            writeOptional(gen, "devtype", d.devtype());
            writeOptional(gen, "driver", d.driver());
            writeList(gen, "devnodes", d.devnodes());
            writeList(gen, "aliases", d.aliases());
            if (d.stale()) {
                gen.writeBooleanField("stale", true);
            }
            writeList(gen, "sources", d.sources());
            writeList(gen, "caps", d.capabilityTypes());
            for (Capability c : d.capabilities()) {
                provider.defaultSerializeField(c.type(), c, gen);
            }
            gen.writeEndObject();
        }

        private static void writeOptional(JsonGenerator gen, String key, String value) throws IOException {
            if (value != null) {
                gen.writeStringField(key, value);
            }
        }

        private static void writeList(JsonGenerator gen, String key, List<String> values) throws IOException {
            if (!values.isEmpty()) {
                gen.writeArrayFieldStart(key);
                for (String v : values) {
                    gen.writeString(v);
                }
                gen.writeEndArray();
            }
        }
    }

    private static final class DeviceDeserializer extends JsonDeserializer<Device> {
        @Override
        public Device deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = p.readValueAsTree();
            if (node == null || !node.isObject()) {
                return (Device) ctxt.handleUnexpectedToken(Device.class, p);
            }
            List<Capability> caps = new ArrayList<>();
            for (String type : strings(node.get("caps"))) {
                Optional<Class<? extends Capability>> cls = Capability.classOf(type);
                JsonNode body = node.get(type);
                // an unknown type comes from a newer agent: skip it rather than fail the whole document
                if (cls.isPresent() && body != null) {
                    caps.add(ctxt.readTreeAsValue(body, cls.get()));
                }
            }
            JsonNode stale = node.get("stale");
            return new Device(
                    text(node, "name"),
                    text(node, "parent"),
                    text(node, "path"),
                    text(node, "subsystem"),
                    text(node, "bus"),
                    text(node, "devtype"),
                    text(node, "driver"),
                    strings(node.get("devnodes")),
                    strings(node.get("aliases")),
                    caps,
                    stale != null && stale.asBoolean(),
                    strings(node.get("sources")));
        }

        private static String text(JsonNode node, String key) {
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? null : v.asText();
        }

        private static List<String> strings(JsonNode array) {
            List<String> out = new ArrayList<>();
            if (array != null) {
                array.forEach(n -> out.add(n.asText()));
            }
            return out;
        }
    }
}
