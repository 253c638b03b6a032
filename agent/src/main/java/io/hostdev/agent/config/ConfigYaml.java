package io.hostdev.agent.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hostdev.agent.config.ConfigNode.Entry;
import io.hostdev.agent.config.ConfigNode.Mapping;
import io.hostdev.agent.config.ConfigNode.Origin;
import io.hostdev.agent.config.ConfigNode.Scalar;
import io.hostdev.agent.config.ConfigNode.Sequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML config file into {@link ConfigNode}s that remember their line. A streaming parser
 * rather than a data binder: a bound object no longer knows which line a value came from, and the
 * messages must say it.
 */
final class ConfigYaml {

    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private ConfigYaml() {
    }

    /**
     * The document's top-level mapping; an empty document is an empty mapping.
     *
     * @param name how messages name the file
     * @param base the file's directory, against which relative paths in it are resolved
     * @throws ConfigException for YAML that does not parse, duplicate keys, several documents, or a
     *                         top level that is not a mapping
     */
    static Mapping parse(String text, String name, Path base) {
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Mapping(Map.of(), new Origin(name, base));
            }
            ConfigNode root = node(p, name, base);
            if (p.nextToken() != null) {
                throw new ConfigException(where(name, p.currentTokenLocation()) + ": only one YAML document is allowed");
            }
            if (root instanceof Scalar s && s.text() == null) {
                return new Mapping(Map.of(), root.origin());
            }
            if (!(root instanceof Mapping m)) {
                throw new ConfigException(root.origin() + ": the file must be a mapping of keys (listen: ..., probes: ...), "
                        + "not " + ConfigNode.kind(root));
            }
            return m;
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage().lines().findFirst()
                    .orElse("");
            throw new ConfigException(where(name, e.getLocation()) + ": not valid YAML: " + problem);
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot be read: " + e);
        }
    }

    private static ConfigNode node(JsonParser p, String name, Path base) throws IOException {
        Origin origin = new Origin(where(name, p.currentTokenLocation()), base);
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                Origin keyOrigin = new Origin(where(name, p.currentTokenLocation()), base);
                p.nextToken();
                ConfigNode value = node(p, name, base);
                if (entries.putIfAbsent(key, new Entry(keyOrigin, value)) != null) {
                    throw new ConfigException(keyOrigin + ": key '" + key + "' appears twice in the same mapping (first at "
                            + entries.get(key).keyOrigin() + ")");
                }
            }
            return new Mapping(entries, origin);
        }
        if (t == JsonToken.START_ARRAY) {
            List<ConfigNode> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(node(p, name, base));
            }
            return new Sequence(items, origin);
        }
        // a key with nothing after it (or only comments) is unset, like YAML's null
        String text = t == JsonToken.VALUE_NULL ? null : p.getText();
        return new Scalar(text == null || text.isEmpty() ? null : text, origin);
    }

    private static String where(String name, JsonLocation at) {
        return at == null || at.getLineNr() < 1 ? name : name + " line " + at.getLineNr();
    }
}
