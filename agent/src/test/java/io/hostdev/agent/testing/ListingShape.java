package io.hostdev.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.model.ModelJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The structure of a {@code list --output json} listing with its identifiers masked: letters and
 * digits in strings become {@code x}, numbers {@code #}, arrays compare as sorted multisets and
 * devices in sorted order. Scrubbing changes MACs and serials, so names and aliases that embed
 * them may sort elsewhere; what must not change is everything else.
 */
public final class ListingShape {

    private ListingShape() {
    }

    /** One masked string per device, sorted; keys named in {@code ignoredKeys} are left out. */
    public static List<String> of(String listing, String... ignoredKeyPrefixes) {
        try {
            List<String> shapes = new ArrayList<>();
            for (JsonNode d : ModelJson.reader().readTree(listing).get("devices")) {
                shapes.add(mask(d, ignoredKeyPrefixes));
            }
            Collections.sort(shapes);
            return shapes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String mask(JsonNode n, String[] ignored) {
        if (n.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            n.fields().forEachRemaining(f -> {
                for (String prefix : ignored) {
                    if (f.getKey().startsWith(prefix)) {
                        return;
                    }
                }
                sb.append(f.getKey()).append(':').append(mask(f.getValue(), ignored)).append(',');
            });
            return sb.append('}').toString();
        }
        if (n.isArray()) {
            List<String> items = new ArrayList<>();
            n.forEach(e -> items.add(mask(e, ignored)));
            Collections.sort(items);
            return items.toString();
        }
        return n.isTextual() ? n.asText().replaceAll("[A-Za-z0-9]", "x") : n.isNumber() ? "#" : n.toString();
    }
}
