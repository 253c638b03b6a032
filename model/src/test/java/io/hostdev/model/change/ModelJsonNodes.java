package io.hostdev.model.change;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** JSON values for expected field changes. */
final class ModelJsonNodes {

    private ModelJsonNodes() {
    }

    static ArrayNode array(String... values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (String v : values) {
            a.add(v);
        }
        return a;
    }
}
