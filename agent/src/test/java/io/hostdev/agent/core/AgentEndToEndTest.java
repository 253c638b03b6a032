package io.hostdev.agent.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.model.change.ChangeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.LongStream;

import static io.hostdev.agent.core.NetHost.await;
import static io.hostdev.agent.core.NetHost.deviceName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole agent, end to end: {@code hostdev agent} in a child JVM probes a fixture root that this
 * test changes, and {@code hostdev watch --selector "cap='net'"} in another child follows it over
 * HTTP. The watch must print exactly the net changes, in order, while terminals come and go beside
 * them; {@code /v1/changes?since=} must tell the same; and when the agent is killed with SIGKILL and
 * restarted on the same state directory, the watch resumes from its last cursor and nothing is lost
 * or repeated.
 */
class AgentEndToEndTest {

    static {
        NetHost.quietLogs();
    }

    private static final String NET = "cap='net'";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<ChildJvm> children = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void killChildren() {
        children.forEach(ChildJvm::kill);
    }

    @Test
    void aNetWatchGetsExactlyTheNetChangesInOrderAndResumesAcrossAKilledAgent() throws Exception {
        NetHost host = new NetHost(tmp.resolve("root")).nic("eth0", 1).tty("ttyS0", 64);
        Path state = tmp.resolve("state");
        int port = freePort();
        String url = "http://127.0.0.1:" + port;

        ChildJvm agent = agent(host, state, port);
        awaitReady(url);
        String listed = get(url + "/v1/devices?selector=" + encode(NET)).get("cursor").asText();
        ChildJvm watch = child("watch", "--url", url, "--selector", NET, "--since", listed, "--output", "json");

        List<String> expected = new ArrayList<>();
        host.nic("eth1", 2);
        expected.add("added " + deviceName("eth1", 2));
        awaitWatched(watch, expected);

        String head = head(url);
        host.tty("ttyS1", 65);
        awaitJournalPast(url, head);

        host.remove("eth0");
        expected.add("removed " + deviceName("eth0", 1));
        awaitWatched(watch, expected);

        host.mtu("eth1", 9000);
        expected.add("updated " + deviceName("eth1", 2));
        awaitWatched(watch, expected);

        head = head(url);
        host.removeTty("ttyS1");
        awaitJournalPast(url, head);

        host.nic("eth2", 3);
        expected.add("added " + deviceName("eth2", 3));
        awaitWatched(watch, expected);
        String lastBeforeKill = watched(watch).get(expected.size() - 1).cursor;

        agent.kill();
        assertThat(agent.awaitExit()).isEqualTo(137);
        // while no agent runs: a new interface, one gone, a terminal; the restarted agent's first
        // cycle finds them all in one diff, additions before removals
        host.nic("eth3", 4).remove("eth1").tty("ttyS2", 66);
        List<String> afterRestart = List.of("added " + deviceName("eth3", 4), "removed " + deviceName("eth1", 2));
        expected.addAll(afterRestart);

        ChildJvm restarted = agent(host, state, port);
        awaitReady(url);
        awaitWatched(watch, expected);
        host.remove("eth2");
        expected.add("removed " + deviceName("eth2", 3));
        awaitWatched(watch, expected);

        List<Watched> seen = watched(watch);
        assertThat(seen).extracting(Watched::summary).containsExactlyElementsOf(expected);
        assertThat(new HashSet<>(seen.stream().map(Watched::cursor).toList())).as("no cursor twice").hasSize(seen.size());
        assertThat(watch.lines()).as("the watch noticed the agent was gone and reconnected")
                .anyMatch(l -> l.startsWith("hostdev: watch: ") && l.contains("reconnecting"));

        assertThat(changes(url, listed)).as("/v1/changes since the listing's cursor tells what the watch saw")
                .containsExactlyElementsOf(seen);
        assertThat(changes(url, lastBeforeKill)).as("resuming from the last cursor before the kill")
                .extracting(Watched::summary)
                .containsExactlyElementsOf(expected.subList(expected.size() - afterRestart.size() - 1, expected.size()));

        restarted.terminate();
        assertThat(restarted.awaitExit()).isEqualTo(143);
        List<JournalEntry<ChangeEvent>> journal = NetHost.journal(state);
        assertThat(journal).extracting(JournalEntry::sequence).as("one sequence with no gap across the kill")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, journal.size()).boxed().toList());
        assertThat(journal).extracting(e -> e.cursor().epoch()).containsOnly(journal.get(0).cursor().epoch());
        assertThat(NetHost.summary(journal)).as("the terminals are in the journal, only the view left them out")
                .contains("added tty_ttyS1", "removed tty_ttyS1", "added tty_ttyS2");
    }

    /** One line of {@code watch --output json}. */
    record Watched(String cursor, String summary) {
    }

    private ChildJvm agent(NetHost host, Path state, int port) throws IOException {
        ChildJvm agent = child("agent", "--root", host.root.toString(), "--state-dir", state.toString(),
                "--interval", "sysfs=100ms", "--disable-probe", "capabilities", "--listen", "127.0.0.1:" + port);
        agent.awaitLine("hostdev: agent " + agent.process.pid() + " started: serving on http://127.0.0.1:" + port);
        return agent;
    }

    private ChildJvm child(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("io.hostdev.agent.cli.Main"));
        cmd.addAll(List.of(args));
        ChildJvm c = new ChildJvm(cmd);
        children.add(c);
        return c;
    }

    private void awaitWatched(ChildJvm watch, List<String> expected) {
        try {
            await(ChildJvm.WAIT, "the watch to print " + expected,
                    () -> watched(watch).size() >= expected.size());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it said " + watch.lines(), e);
        }
        assertThat(watched(watch)).extracting(Watched::summary).containsExactlyElementsOf(expected);
    }

    private static List<Watched> watched(ChildJvm watch) {
        List<Watched> out = new ArrayList<>();
        for (String line : watch.lines()) {
            if (line.startsWith("{")) {
                JsonNode n = parse(line);
                out.add(new Watched(n.get("cursor").asText(), summary(n.get("event"))));
            }
        }
        return out;
    }

    /** Every page of {@code /v1/changes} after {@code since} in the net view. */
    private List<Watched> changes(String url, String since) throws Exception {
        List<Watched> out = new ArrayList<>();
        String cursor = since;
        while (true) {
            JsonNode page = get(url + "/v1/changes?selector=" + encode(NET) + "&since=" + encode(cursor) + "&limit=3");
            for (JsonNode e : page.get("events")) {
                out.add(new Watched(e.get("cursor").asText(), summary(e.get("event"))));
            }
            cursor = page.get("next").asText();
            if (!page.get("more").asBoolean()) {
                return out;
            }
        }
    }

    private String head(String url) throws Exception {
        return get(url + "/v1/changes?limit=1").get("head").asText();
    }

    /** Waits until the agent has journalled something after {@code head}, in any view. */
    private void awaitJournalPast(String url, String head) {
        await(ChildJvm.WAIT, "a change after " + head, () -> {
            try {
                return get(url + "/v1/changes?since=" + encode(head)).get("events").size() > 0;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private void awaitReady(String url) {
        await(ChildJvm.WAIT, url + "/readyz to answer 200", () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private JsonNode get(String uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", uri, r.body()).isEqualTo(200);
        return parse(r.body());
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String summary(JsonNode event) {
        return event.get("kind").asText() + " " + event.get("name").asText();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
