package io.hostdev.agent.http;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The small parsers of the HTTP layer, with table cases: Accept, query strings, routes, bearer headers, SSE frames. */
class ParsingTest {

    static final List<String> JSON_XML = List.of("application/json", "application/xml");

    @Nested
    class Accept {

        @ParameterizedTest(name = "[{0}] -> {1}")
        @CsvSource(delimiter = '|', nullValues = "NONE", value = {
                "''|application/json",
                "*/*|application/json",
                "application/json|application/json",
                "application/xml|application/xml",
                "application/*|application/json",
                "text/html, application/xml;q=0.9|application/xml",
                "application/json;q=0.5, application/xml|application/xml",
                "application/json;q=0.5, application/xml;q=0.5|application/json",
                "application/xml, */*;q=0.1|application/xml",
                "*/*;q=0.1, application/json;q=0|application/xml",
                "APPLICATION/XML|application/xml",
                "application/xml; charset=utf-8|application/xml",
                "text/html|NONE",
                "image/*|NONE",
                "application/json;q=0, application/xml;q=0|NONE",
                "garbage|application/json",
                "application/xml;q=NaN, application/json;q=2|application/json",
                "*/xml|application/json"})
        void picksTheBestOfferedType(String accept, String expected) {
            assertThat(Negotiation.choose(accept, JSON_XML).orElse(null)).isEqualTo(expected);
        }

        @Test
        void noHeaderAcceptsTheServersFirstChoice() {
            assertThat(Negotiation.choose(null, JSON_XML)).contains("application/json");
        }
    }

    @Nested
    class QueryStrings {

        @Test
        void decodesFormEncodingStrictly() {
            Query q = Query.parse("selector=cap%3D%27net%27+and+bus%3D%27pci%27&since=", Set.of("selector", "since"));
            assertThat(q.get("selector")).isEqualTo("cap='net' and bus='pci'");
            assertThat(q.get("since")).isEmpty();
            assertThat(q.get("limit")).isNull();
        }

        @Test
        void decodesUtf8AndLeavesEmptyPairsOut() {
            Query q = Query.parse("&selector=name%3D%27%C3%A9%27&&", Set.of("selector"));
            assertThat(q.get("selector")).isEqualTo("name='é'");
        }

        @ParameterizedTest(name = "[{0}] {1}")
        @CsvSource(delimiter = '|', value = {
                "selectr=x|unknown parameter 'selectr'; this endpoint takes selector, since",
                "selector=a&selector=b|parameter 'selector' is given more than once",
                "selector=%zz|bad percent escape in the query at '%zz'",
                "selector=%4|bad percent escape in the query at '%4'",
                "selector=%C3%28|the query is not UTF-8 once decoded",
                "%00=1|unknown parameter '?'"})
        void rejectsWhatItCannotTakeSaying(String raw, String message) {
            assertThatThrownBy(() -> Query.parse(raw, Set.of("selector", "since")))
                    .isInstanceOf(Query.BadQuery.class).hasMessageStartingWith(message);
        }

        @Test
        void anEndpointWithoutParametersSaysSo() {
            assertThatThrownBy(() -> Query.parse("x=1", Set.of())).hasMessage("unknown parameter 'x'; this endpoint "
                    + "takes none");
        }

        @ParameterizedTest
        @CsvSource({"eth0,eth0", "%2Fdev%2Fsda,/dev/sda", "a+b,a+b", "a%20b,a b", "0000:00:1f.2,0000:00:1f.2"})
        void pathSegmentsKeepTheirPlusSigns(String raw, String decoded) {
            assertThat(Query.decodeSegment(raw)).isEqualTo(decoded);
        }
    }

    @Nested
    class Routes {

        @ParameterizedTest(name = "{0}")
        @CsvSource(nullValues = "NONE", value = {
                "/healthz,HEALTH,NONE",
                "/readyz,READY,NONE",
                "/metrics,METRICS,NONE",
                "/v1/openapi.json,OPENAPI,NONE",
                "/v1/devices,DEVICES,NONE",
                "/v1/devices/eth0,DEVICE,eth0",
                "/v1/devices/%2Fdev%2Fsda,DEVICE,%2Fdev%2Fsda",
                "/v1/capabilities,CAPABILITIES,NONE",
                "/v1/changes,CHANGES,NONE",
                "/v1/watch,WATCH,NONE",
                "/v1/probes/sysfs/run,PROBE_RUN,sysfs",
                "/v1/probes/proc.cpuinfo/run,PROBE_RUN,proc.cpuinfo"})
        void eachEndpointHasOneRoute(String path, ApiHandler.Route route, String param) {
            assertThat(ApiHandler.route(path)).isEqualTo(new ApiHandler.Match(route, param));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/", "", "/v1", "/v1/", "/v1/devices/", "/v1/devices/a/b", "/v1/probes//run",
                "/v1/probes/run", "/v1/probes/a/b/run", "/healthz/", "/v1/watch/x", "/V1/devices"})
        void otherPathsHaveNone(String path) {
            assertThat(ApiHandler.route(path)).isNull();
        }
    }

    @Nested
    class BearerHeader {

        @ParameterizedTest(name = "[{0}]")
        @CsvSource(delimiter = '|', nullValues = "NONE", value = {
                "Bearer abc|abc",
                "bearer abc|abc",
                "BEARER   abc  |abc",
                "Bearer|NONE",
                "Bearer |NONE",
                "Bearer a b|NONE",
                "Basic abc|NONE",
                "Bearerabc|NONE",
                "''|NONE"})
        void theTokenOrNothing(String header, String token) {
            assertThat(ApiHandler.bearer(header)).isEqualTo(token);
        }
    }

    @Nested
    class SseFrames {

        @Test
        void anEventIsIdEventAndDataLinesThenABlankLine() {
            assertThat(Sse.frame("c1", "added", "{\"a\":1}")).isEqualTo("id: c1\nevent: added\ndata: {\"a\":1}\n\n");
        }

        @Test
        void dataWithLineBreaksBecomesSeveralDataLines() {
            assertThat(Sse.frame(null, "resync", "a\nb\r\nc\rd")).isEqualTo(
                    "event: resync\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
        }

        @Test
        void fieldValuesCannotForgeAnotherField() {
            assertThat(Sse.frame("x\nevent: evil", "added\r\nid: y", "d"))
                    .isEqualTo("id: x event: evil\nevent: added  id: y\ndata: d\n\n");
            assertThat(Sse.comment("a\nb")).isEqualTo(": a b\n\n");
        }
    }

    @Nested
    class ProblemDocuments {

        @Test
        void membersFollowTypeTitleStatusDetailInOneLine() {
            String json = Problem.of("bad-selector", "Bad selector", 400, "at column 3: oops").with("column", 3).json();
            assertThat(json).isEqualTo("{\"type\":\"urn:hostdev:problem:bad-selector\",\"title\":\"Bad selector\","
                    + "\"status\":400,\"detail\":\"at column 3: oops\",\"column\":3}");
        }

        @Test
        void plainHttpProblemsAreAboutBlankTitledWithThePhrase() {
            Problem p = Problem.http(414, "too long");
            assertThat(p.type()).isEqualTo("about:blank");
            assertThat(p.title()).isEqualTo("URI Too Long");
        }
    }
}
