package io.hostdev.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.exporters.JsonExporter;
import io.hostdev.exporters.ListSummary;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.select.Selector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint over real HTTP on loopback, against a {@link io.hostdev.agent.testing.JournalBackedService} with a real journal. */
class HttpApiTest {

    @TempDir
    Path dir;

    ApiFixture api;

    @BeforeEach
    void start() {
        api = new ApiFixture(dir);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void assertProblem(HttpResponse<String> r, int status, String type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode p = ApiFixture.json(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).isEqualTo(type);
        assertThat(p.get("title").asText()).isNotBlank();
    }

    @Nested
    class HealthAndReadiness {

        @Test
        void healthzAnswersOkWhileTheProcessServes() {
            HttpResponse<String> r = api.get("/healthz");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok\n");
        }

        @Test
        void readyzIs503BeforeTheFirstCycleAnd200After() {
            api.agent.ready(false);
            assertProblem(api.get("/readyz"), 503, "urn:hostdev:problem:not-ready");
            api.agent.ready(true);
            HttpResponse<String> r = api.get("/readyz");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ready\n");
        }

        @Test
        void headAnswersTheHeadersWithoutABody() {
            HttpResponse<String> r = api.send(api.request("/healthz").method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
        }

        @Test
        void metricsAnswerTheSuppliedTextAsPrometheusExposition() {
            api.metricsText = "hostdev_devices 5\n";
            HttpResponse<String> r = api.get("/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(r.body()).isEqualTo("hostdev_devices 5\n");
        }
    }

    @Nested
    class Devices {

        @Test
        void listingIsTheCliListingPlusTheCursorOfTheStateItReflects() {
            api.agent.updateEntries(TestHost.tree("veth1"));
            HttpResponse<String> r = api.get("/v1/devices");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
            JsonNode doc = ApiFixture.json(r.body());
            String head = api.agent.current().cursor().encoded();
            assertThat(doc.get("cursor").asText()).isEqualTo(head);
            assertThat(r.headers().firstValue("hostdev-cursor")).hasValue(head);
            DeviceTree tree = api.agent.current().tree();
            JsonNode cli = ApiFixture.json(JsonExporter.devices(tree.devices(), ListSummary.of(tree, Map.of())));
            assertThat(doc.get("devices")).isEqualTo(cli.get("devices"));
            assertThat(doc.get("summary")).isEqualTo(cli.get("summary"));
        }

        @Test
        void selectorKeepsOnlyTheMatchingDevicesAndCountsThem() {
            HttpResponse<String> r = api.get("/v1/devices?selector=" + q("cap='net'"));
            JsonNode doc = ApiFixture.json(r.body());
            List<String> names = new ArrayList<>();
            doc.get("devices").forEach(d -> names.add(d.get("name").asText()));
            assertThat(names).containsExactlyInAnyOrder(TestHost.ETH0, TestHost.BR0);
            assertThat(doc.get("summary").get("total").asInt()).isEqualTo(2);
            assertThat(doc.get("summary").get("by_subsystem").get("net").asInt()).isEqualTo(2);
        }

        @Test
        void xmlOnAcceptIsTheLibvirtListingOfTheSelectedDevices() {
            HttpResponse<String> r = api.get("/v1/devices?selector=" + q("cap='net'"), "Accept", "application/xml");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/xml; charset=utf-8");
            assertThat(r.body()).contains("<devices>").contains("<name>" + TestHost.ETH0 + "</name>")
                    .doesNotContain("<name>" + TestHost.PCI + "</name>");
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/html", "application/json;q=0, application/xml;q=0", "image/*"})
        void acceptThatRulesOutJsonAndXmlIs406(String accept) {
            assertProblem(api.get("/v1/devices", "Accept", accept), 406, "about:blank");
        }

        @Test
        void malformedSelectorIs400WithTheColumn() {
            HttpResponse<String> r = api.get("/v1/devices?selector=" + q("cap='net' and"));
            assertProblem(r, 400, "urn:hostdev:problem:bad-selector");
            JsonNode p = ApiFixture.json(r.body());
            assertThat(p.get("column").asInt()).isEqualTo(14);
            assertThat(p.get("detail").asText()).startsWith("at column 14:");
        }

        @Test
        void selectorOverItsLengthLimitIs400() {
            String longOne = "name='" + "x".repeat(HttpSettings.Limits.DEFAULTS.maxSelectorLength()) + "'";
            HttpResponse<String> r = api.get("/v1/devices?selector=" + q(longOne));
            assertProblem(r, 400, "urn:hostdev:problem:selector-too-long");
            assertThat(ApiFixture.json(r.body()).get("limit").asInt())
                    .isEqualTo(HttpSettings.Limits.DEFAULTS.maxSelectorLength());
        }

        @ParameterizedTest
        @ValueSource(strings = {"?selectr=x", "?selector=a&selector=b", "?selector=%C3%28"})
        void unknownRepeatedOrBadlyEncodedParametersAre400(String query) {
            assertProblem(api.get("/v1/devices" + query), 400, "urn:hostdev:problem:bad-parameter");
        }
    }

    @Nested
    class OneDevice {

        @ParameterizedTest
        @CsvSource({
                TestHost.ETH0 + "," + TestHost.ETH0,
                "eth0," + TestHost.ETH0,
                "0000:00:03.0," + TestHost.PCI,
                "%2Fsys%2Fdevices%2Fpci0000:00%2F0000:00:03.0," + TestHost.PCI,
                "%2Fdev%2Ftpm0," + TestHost.TPM})
        void isFoundByNameOrAliasAsTheCliShowsIt(String key, String name) {
            HttpResponse<String> r = api.get("/v1/devices/" + key);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Device d = api.agent.current().tree().get(name).orElseThrow();
            assertThat(r.body()).isEqualTo(JsonExporter.device(d));
        }

        @Test
        void unknownDeviceIs404WithSuggestions() {
            HttpResponse<String> r = api.get("/v1/devices/eht0");
            assertProblem(r, 404, "urn:hostdev:problem:unknown-device");
            JsonNode p = ApiFixture.json(r.body());
            assertThat(p.get("suggestions").isArray()).isTrue();
            List<String> s = new ArrayList<>();
            p.get("suggestions").forEach(n -> s.add(n.asText()));
            assertThat(s).contains("eth0");
        }

        @Test
        void aliasOfSeveralDevicesIs409ListingThem() {
            HttpResponse<String> r = api.get("/v1/devices/" + TestHost.SHARED_MAC);
            assertProblem(r, 409, "urn:hostdev:problem:ambiguous-alias");
            List<String> c = new ArrayList<>();
            ApiFixture.json(r.body()).get("candidates").forEach(n -> c.add(n.asText()));
            assertThat(c).containsExactlyInAnyOrder(TestHost.ETH0, TestHost.BR0);
        }

        @Test
        void xmlIsTheLibvirtNodeDeviceDocument() {
            HttpResponse<String> r = api.get("/v1/devices/eth0", "Accept", "application/xml");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("<device>").contains("<name>" + TestHost.ETH0 + "</name>")
                    .contains("<interface>eth0</interface>");
        }

        @Test
        void xmlOfADeviceOutsideTheLibvirtViewIs406SayingWhy() {
            HttpResponse<String> r = api.get("/v1/devices/" + TestHost.TPM, "Accept", "application/xml");
            assertProblem(r, 406, "urn:hostdev:problem:not-a-libvirt-device");
            assertThat(ApiFixture.json(r.body()).get("device").asText()).isEqualTo(TestHost.TPM);
        }
    }

    @Nested
    class CapabilitiesDocument {

        @Test
        void isJsonOrLibvirtXml() {
            HttpResponse<String> json = api.get("/v1/capabilities");
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(ApiFixture.json(json.body()).get("host").get("cpu").get("arch").asText()).isEqualTo("x86_64");
            HttpResponse<String> xml = api.get("/v1/capabilities", "Accept", "application/xml;q=0.9, */*;q=0.1");
            assertThat(xml.statusCode()).isEqualTo(200);
            assertThat(xml.body()).startsWith("<capabilities>").contains("<arch>x86_64</arch>");
        }

        @Test
        void is503BeforeTheCapabilitiesProbeHasRun() {
            api.agent.capabilities(null);
            assertProblem(api.get("/v1/capabilities"), 503, "urn:hostdev:problem:not-ready");
        }

        @Test
        void xmlWithoutTheHostArchitectureIs406() {
            api.agent.capabilities(TestHost.capabilities(null));
            assertProblem(api.get("/v1/capabilities", "Accept", "application/xml"), 406,
                    "urn:hostdev:problem:no-host-arch");
            assertThat(api.get("/v1/capabilities").statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Changes {

        @Test
        void eventsAfterTheCursorWithTheirCursorsTimesAndTheHead() {
            String start = api.agent.current().cursor().encoded();
            List<JournalEntry<ChangeEvent>> first = api.agent.updateEntries(TestHost.tree("veth1"));
            api.agent.updateEntries(TestHost.tree("veth1", "veth2"));
            HttpResponse<String> r = api.get("/v1/changes?since=" + start);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode doc = ApiFixture.json(r.body());
            assertThat(doc.get("events")).hasSize(2);
            JsonNode e0 = doc.get("events").get(0);
            assertThat(e0.get("cursor").asText()).isEqualTo(first.get(0).cursor().encoded());
            assertThat(e0.get("time").asText()).isEqualTo(first.get(0).appended().toString());
            assertThat(e0.get("event").get("kind").asText()).isEqualTo("added");
            assertThat(e0.get("event").get("name").asText()).isEqualTo(TestHost.vethName("veth1"));
            String head = api.agent.current().cursor().encoded();
            assertThat(doc.get("head").asText()).isEqualTo(head);
            assertThat(doc.get("next").asText()).isEqualTo(head);
            assertThat(doc.get("more").asBoolean()).isFalse();
        }

        @Test
        void withoutSinceStartsAtTheOldestRetained() {
            api.agent.updateEntries(TestHost.tree("veth1"));
            JsonNode doc = ApiFixture.json(api.get("/v1/changes").body());
            assertThat(doc.get("events")).hasSize(1);
        }

        @Test
        void limitPagesAndNextContinues() {
            String start = api.agent.current().cursor().encoded();
            api.agent.updateEntries(TestHost.tree("veth1", "veth2", "veth3"));
            JsonNode p1 = ApiFixture.json(api.get("/v1/changes?limit=2&since=" + start).body());
            assertThat(p1.get("events")).hasSize(2);
            assertThat(p1.get("more").asBoolean()).isTrue();
            JsonNode p2 = ApiFixture.json(api.get("/v1/changes?limit=2&since=" + p1.get("next").asText()).body());
            assertThat(p2.get("events")).hasSize(1);
            assertThat(p2.get("more").asBoolean()).isFalse();
        }

        @Test
        void selectorRewritesEventsToItsView() {
            String start = api.agent.current().cursor().encoded();
            api.agent.updateEntries(TestHost.tree("veth1", "other1"));
            String sel = "cap='net' and name=~'veth'";
            JsonNode doc = ApiFixture.json(api.get("/v1/changes?since=" + start + "&selector=" + q(sel)).body());
            assertThat(doc.get("events")).hasSize(1);
            assertThat(doc.get("events").get(0).get("event").get("name").asText())
                    .isEqualTo(TestHost.vethName("veth1"));
            // the page still moves on past the events the selector dropped
            assertThat(doc.get("next").asText()).isEqualTo(api.agent.current().cursor().encoded());
            assertThat(Selector.parse(sel)).isNotNull();
        }

        @Test
        void malformedCursorIs400() {
            HttpResponse<String> r = api.get("/v1/changes?since=not-a-cursor");
            assertProblem(r, 400, "urn:hostdev:problem:malformed-cursor");
            assertThat(ApiFixture.json(r.body()).get("detail").asText()).contains("malformed cursor");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "10001", "ten", "1e3", ""})
        void limitOutsideOneToTenThousandIs400(String limit) {
            HttpResponse<String> r = api.get("/v1/changes?limit=" + limit);
            assertProblem(r, 400, "urn:hostdev:problem:bad-parameter");
            assertThat(ApiFixture.json(r.body()).get("parameter").asText()).isEqualTo("limit");
        }
    }

    @Nested
    class ProbeRuns {

        @Test
        void postRequestsARunAndAnswers202() {
            HttpResponse<String> r = api.send(api.request("/v1/probes/sysfs/run")
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(ApiFixture.json(r.body()).get("probe").asText()).isEqualTo("sysfs");
            assertThat(api.agent.runRequests()).containsExactly("sysfs");
        }

        @Test
        void unknownProbeIs404ListingTheKnownOnes() {
            HttpResponse<String> r = api.send(api.request("/v1/probes/nope/run")
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertProblem(r, 404, "urn:hostdev:problem:unknown-probe");
            assertThat(ApiFixture.json(r.body()).get("probes").toString()).isEqualTo("[\"capabilities\",\"sysfs\"]");
        }

        @Test
        void getIs405WithTheAllowedMethod() {
            HttpResponse<String> r = api.get("/v1/probes/sysfs/run");
            assertProblem(r, 405, "about:blank");
            assertThat(r.headers().firstValue("allow")).hasValue("POST");
        }
    }

    @Nested
    class Paths {

        @ParameterizedTest
        @ValueSource(strings = {"/", "/v1", "/v1/devices/", "/v2/devices", "/v1/probes/sysfs", "/metrics/x"})
        void unknownPathsAre404Problems(String path) {
            assertProblem(api.get(path), 404, "about:blank");
        }

        @Test
        void wrongMethodIs405Problem() {
            HttpResponse<String> r = api.send(api.request("/v1/devices")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertProblem(r, 405, "about:blank");
            assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD");
        }

        @Test
        void openApiDocumentIsServed() {
            HttpResponse<String> r = api.get("/v1/openapi.json");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(ApiFixture.json(r.body()).get("openapi").asText()).startsWith("3.");
        }
    }
}
