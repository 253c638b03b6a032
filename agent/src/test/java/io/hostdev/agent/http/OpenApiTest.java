package io.hostdev.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document served at /v1/openapi.json describes exactly the routes the handler serves. */
class OpenApiTest {

    static JsonNode document() throws IOException {
        try (InputStream in = AgentHttpServer.class.getResourceAsStream("openapi.json")) {
            assertThat(in).as("openapi.json on the class path").isNotNull();
            return JsonMapper.builder().build().readTree(in);
        }
    }

    @Test
    void isOpenApi3WithOnePathPerRouteAndItsMethod() throws IOException {
        JsonNode doc = document();
        assertThat(doc.get("openapi").asText()).startsWith("3.0");
        Set<String> documented = new HashSet<>();
        doc.get("paths").fieldNames().forEachRemaining(documented::add);
        Set<String> served = new HashSet<>();
        for (ApiHandler.Route r : ApiHandler.Route.values()) {
            served.add(r.template);
            JsonNode path = doc.get("paths").get(r.template);
            assertThat(path).as(r.template).isNotNull();
            assertThat(path.has(r.method.toLowerCase(Locale.ROOT))).as(r.template + " " + r.method).isTrue();
        }
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void tokenFreeEndpointsAreTheOnesTheHandlerLetsThrough() throws IOException {
        JsonNode doc = document();
        for (ApiHandler.Route r : ApiHandler.Route.values()) {
            JsonNode op = doc.get("paths").get(r.template).get(r.method.toLowerCase(Locale.ROOT));
            boolean open = op.has("security") && op.get("security").size() == 1 && op.get("security").get(0).isEmpty();
            assertThat(open).as(r.template).isEqualTo(r.scope == null);
            assertThat(op.get("responses").has("401")).as(r.template + " documents 401").isEqualTo(r.scope != null);
        }
    }

    @Test
    void everyReferenceResolves() throws IOException {
        JsonNode doc = document();
        List<String> refs = new ArrayList<>();
        collect(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    private static void collect(JsonNode n, List<String> refs) {
        if (n.isObject()) {
            n.fields().forEachRemaining(f -> {
                if (f.getKey().equals("$ref")) {
                    refs.add(f.getValue().asText());
                } else {
                    collect(f.getValue(), refs);
                }
            });
        } else if (n.isArray()) {
            n.forEach(e -> collect(e, refs));
        }
    }
}
