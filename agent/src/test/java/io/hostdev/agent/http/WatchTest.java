package io.hostdev.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostdev.agent.journal.FsyncPolicy;
import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.change.ChangeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/watch} read off a raw socket: the SSE framing, resumption, heartbeats, slow and many subscribers. */
@Timeout(60)
class WatchTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    ApiFixture api;
    final List<SseClient> clients = new ArrayList<>();

    void start(UnaryOperator<HttpSettings> settings) {
        api = new ApiFixture(dir, TestHost.tree(), TestHost.capabilities("x86_64"), settings);
    }

    void start(JournalConfig journal, UnaryOperator<HttpSettings> settings) {
        api = new ApiFixture(dir, TestHost.tree(), TestHost.capabilities("x86_64"), journal, settings);
    }

    SseClient watch(String query, Map<String, String> headers) throws IOException {
        SseClient c = SseClient.open(api.server.port(), "/v1/watch" + query, headers);
        clients.add(c);
        return c;
    }

    SseClient watch(String query) throws IOException {
        return watch(query, Map.of());
    }

    @AfterEach
    void stop() throws IOException {
        for (SseClient c : clients) {
            c.close();
        }
        if (api != null) {
            api.close();
        }
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The frame an entry becomes for a client without a selector. */
    static void assertFrameIs(SseClient.Frame f, JournalEntry<ChangeEvent> e) {
        assertThat(f.id()).isEqualTo(e.cursor().encoded());
        assertThat(f.event()).isEqualTo(e.value().kind().json());
        assertThat(f.data()).isEqualTo(ApiJson.line(e.value())).doesNotContain("\n");
    }

    @Nested
    class Framing {

        @Test
        void withoutCursorTheFirstFrameIsTheHeadThenEveryLiveEvent() throws IOException {
            start(s -> s);
            api.agent.updateEntries(TestHost.tree("veth1"));
            String head = api.agent.current().cursor().encoded();
            SseClient c = watch("");
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.header("content-type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(c.header("cache-control")).isEqualTo("no-cache");
            SseClient.Frame first = c.nextEvent(WAIT);
            assertThat(first.event()).isEqualTo("head");
            assertThat(first.id()).isEqualTo(head);
            assertThat(ApiFixture.json(first.data()).get("cursor").asText()).isEqualTo(head);

            List<JournalEntry<ChangeEvent>> added = api.agent.updateEntries(TestHost.tree("veth1", "veth2"));
            List<JournalEntry<ChangeEvent>> removed = api.agent.updateEntries(TestHost.tree("veth2"));
            assertFrameIs(c.nextEvent(WAIT), added.get(0));
            assertFrameIs(c.nextEvent(WAIT), removed.get(0));
            assertThat(removed.get(0).value().kind()).isEqualTo(ChangeEvent.Kind.REMOVED);
        }

        @Test
        void selectorSeesOnlyItsViewOfTheChanges() throws IOException {
            start(s -> s);
            SseClient c = watch("?selector=" + q("cap='net' and name=~'veth'"));
            assertThat(c.nextEvent(WAIT).event()).isEqualTo("head");
            api.agent.updateEntries(TestHost.tree("veth1", "other1"));
            api.agent.updateEntries(TestHost.tree("other1"));
            SseClient.Frame a = c.nextEvent(WAIT);
            assertThat(a.event()).isEqualTo("added");
            assertThat(ApiFixture.json(a.data()).get("name").asText()).isEqualTo(TestHost.vethName("veth1"));
            SseClient.Frame r = c.nextEvent(WAIT);
            assertThat(r.event()).isEqualTo("removed");
            assertThat(ApiFixture.json(r.data()).get("name").asText()).isEqualTo(TestHost.vethName("veth1"));
        }

        @Test
        void heartbeatsAreCommentLines() throws IOException {
            start(s -> s.withHeartbeat(Duration.ofMillis(100)));
            SseClient c = watch("");
            assertThat(c.nextEvent(WAIT).event()).isEqualTo("head");
            SseClient.Frame beat = c.next(WAIT);
            assertThat(beat.isComment()).isTrue();
            assertThat(beat.comments()).containsExactly("heartbeat");
        }

        @Test
        void closingTheServerEndsEveryStreamWithALastComment() throws IOException {
            start(s -> s);
            SseClient a = watch("");
            SseClient b = watch("?selector=" + q("cap='net'"));
            assertThat(a.nextEvent(WAIT).event()).isEqualTo("head");
            assertThat(b.nextEvent(WAIT).event()).isEqualTo("head");
            api.server.close();
            for (SseClient c : List.of(a, b)) {
                SseClient.Frame last = c.next(WAIT);
                assertThat(last.comments()).containsExactly("closing: the agent is shutting down");
                assertThat(c.next(WAIT)).as("end of stream").isNull();
            }
            assertThat(api.agent.subscribers()).isZero();
        }
    }

    @Nested
    class Resuming {

        @Test
        void sinceReplaysTheHistoryThenGoesLiveWithoutGapOrRepeat() throws IOException {
            start(s -> s);
            api.agent.updateEntries(TestHost.tree("veth1"));
            String after1 = api.agent.current().cursor().encoded();
            List<JournalEntry<ChangeEvent>> expected = new ArrayList<>();
            expected.addAll(api.agent.updateEntries(TestHost.tree("veth1", "veth2")));
            expected.addAll(api.agent.updateEntries(TestHost.tree("veth2", "veth3")));
            SseClient c = watch("?since=" + after1);
            assertThat(c.status()).isEqualTo(200);
            for (JournalEntry<ChangeEvent> e : expected) {
                assertFrameIs(c.nextEvent(WAIT), e);
            }
            List<JournalEntry<ChangeEvent>> live = api.agent.updateEntries(TestHost.tree("veth3"));
            for (JournalEntry<ChangeEvent> e : live) {
                assertFrameIs(c.nextEvent(WAIT), e);
            }
        }

        @Test
        void lastEventIdTakesPrecedenceOverSince() throws IOException {
            start(s -> s);
            String start = api.agent.current().cursor().encoded();
            api.agent.updateEntries(TestHost.tree("veth1"));
            String after1 = api.agent.current().cursor().encoded();
            List<JournalEntry<ChangeEvent>> second = api.agent.updateEntries(TestHost.tree("veth1", "veth2"));
            SseClient c = watch("?since=" + start, Map.of("Last-Event-ID", after1));
            assertFrameIs(c.nextEvent(WAIT), second.get(0));
        }

        @Test
        void historyOfManyPagesArrivesWhole() throws IOException {
            start(JournalConfig.DEFAULTS.withFsync(FsyncPolicy.NEVER), s -> s);
            String start = api.agent.current().cursor().encoded();
            List<JournalEntry<ChangeEvent>> expected = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < EventStream.HISTORY_PAGE + 150; i++) {
                names.add("veth" + i);
                expected.addAll(api.agent.updateEntries(TestHost.tree(names.toArray(String[]::new))));
            }
            SseClient c = watch("?since=" + start);
            for (JournalEntry<ChangeEvent> e : expected) {
                assertFrameIs(c.nextEvent(WAIT), e);
            }
        }

        @Test
        void cursorAtTheHeadStartsLiveWithoutAHeadFrame() throws IOException {
            start(s -> s);
            api.agent.updateEntries(TestHost.tree("veth1"));
            SseClient c = watch("?since=" + api.agent.current().cursor().encoded());
            assertThat(c.status()).isEqualTo(200);
            List<JournalEntry<ChangeEvent>> live = api.agent.updateEntries(TestHost.tree());
            assertFrameIs(c.nextEvent(WAIT), live.get(0));
        }

        @Test
        void cursorTheJournalNoLongerHasGetsResyncAndTheStreamCloses() throws IOException {
            start(JournalConfig.DEFAULTS.withMaxRecords(2).withSegmentRecords(1), s -> s);
            String start = api.agent.current().cursor().encoded();
            api.agent.updateEntries(TestHost.tree("veth1"));
            api.agent.updateEntries(TestHost.tree("veth1", "veth2"));
            api.agent.updateEntries(TestHost.tree("veth1", "veth2", "veth3"));
            SseClient c = watch("?selector=" + q("cap='net'") + "&since=" + start);
            SseClient.Frame f = c.nextEvent(WAIT);
            assertThat(f.event()).isEqualTo("resync");
            assertThat(f.id()).isNull();
            JsonNode p = ApiFixture.json(f.data());
            assertThat(p.get("status").asInt()).isEqualTo(410);
            assertThat(p.get("reason").asText()).isEqualTo("expired");
            assertThat(p.get("head").asText()).isEqualTo(api.agent.current().cursor().encoded());
            assertThat(p.get("resync").asText()).isEqualTo("/v1/devices?selector=cap%3D%27net%27");
            assertThat(c.next(WAIT)).as("end of stream").isNull();
        }

        @Test
        void changesAnswer410ForTheSameCursor() {
            start(JournalConfig.DEFAULTS.withMaxRecords(2).withSegmentRecords(1), s -> s);
            String start = api.agent.current().cursor().encoded();
            api.agent.updateEntries(TestHost.tree("veth1"));
            api.agent.updateEntries(TestHost.tree("veth1", "veth2"));
            api.agent.updateEntries(TestHost.tree("veth1", "veth2", "veth3"));
            var r = api.get("/v1/changes?since=" + start);
            HttpApiTest.assertProblem(r, 410, "urn:hostdev:problem:resync");
            JsonNode p = ApiFixture.json(r.body());
            assertThat(p.get("reason").asText()).isEqualTo("expired");
            assertThat(p.get("head").asText()).isEqualTo(api.agent.current().cursor().encoded());
            assertThat(p.get("resync").asText()).isEqualTo("/v1/devices");
        }

        @Test
        void malformedLastEventIdIs400BeforeAnyStream() throws IOException {
            start(s -> s);
            SseClient c = watch("", Map.of("Last-Event-ID", "garbage"));
            assertThat(c.status()).isEqualTo(400);
            assertThat(c.header("content-type")).isEqualTo("application/problem+json");
            assertThat(ApiFixture.json(c.remainingBody()).get("type").asText())
                    .isEqualTo("urn:hostdev:problem:malformed-cursor");
            assertThat(api.server.subscribers()).isZero();
        }

        @Test
        void malformedSelectorIs400WithTheColumn() throws IOException {
            start(s -> s);
            SseClient c = watch("?selector=" + q("cap=='net"));
            assertThat(c.status()).isEqualTo(400);
            JsonNode p = ApiFixture.json(c.remainingBody());
            assertThat(p.get("type").asText()).isEqualTo("urn:hostdev:problem:bad-selector");
            assertThat(p.get("column").asInt()).isPositive();
        }
    }

    @Nested
    class SlowAndManySubscribers {

        @Test
        void aStreamThatFallsBehindItsQueueGetsResyncAndIsClosed() throws Exception {
            start(s -> s.withQueueSize(4));
            SseClient c = watch("");
            assertThat(c.nextEvent(WAIT).event()).isEqualTo("head");
            List<JournalEntry<ChangeEvent>> burst = api.agent.updateEntries(TestHost.tree("a1", "a2", "a3", "a4", "a5", "a6"));
            SseClient.Frame f = c.nextEvent(WAIT);
            assertThat(f.event()).isEqualTo("resync");
            JsonNode p = ApiFixture.json(f.data());
            assertThat(p.get("reason").asText()).isEqualTo("behind");
            assertThat(p.get("head").asText()).isEqualTo(burst.get(burst.size() - 1).cursor().encoded());
            assertThat(c.next(WAIT)).as("end of stream").isNull();
            awaitSubscribers(0);
            assertThat(api.agent.subscribers()).isZero();
        }

        @Test
        void aClientThatStopsReadingHoldsUpNeitherTheCoreNorOtherStreams() throws Exception {
            start(JournalConfig.DEFAULTS.withFsync(FsyncPolicy.NEVER), s -> s.withQueueSize(5000)
                    .withLimits(s.limits().withIdleTimeout(Duration.ofSeconds(1))).withHeartbeat(Duration.ofMillis(300)));
            SseClient stalled = watch("");
            stalled.socket().setReceiveBufferSize(4096);
            assertThat(stalled.nextEvent(WAIT).event()).isEqualTo("head");
            SseClient reader = watch("");
            assertThat(reader.nextEvent(WAIT).event()).isEqualTo("head");
            AtomicInteger received = new AtomicInteger();
            AtomicReference<String> lastId = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    SseClient.Frame f;
                    while ((f = reader.nextEvent(WAIT)) != null && !"resync".equals(f.event())) {
                        received.incrementAndGet();
                        lastId.set(f.id());
                    }
                } catch (IOException e) {
                    // the test's assertions report what is missing
                }
            });
            t.start();
            // 2,000 events of ~8 KiB: far more than the stalled socket's buffers hold
            DeviceTree base = TestHost.tree();
            DeviceTree big = TestHost.treeWithBigDevice();
            String last = null;
            for (int i = 0; i < 1000; i++) {
                api.agent.updateEntries(big);
                last = api.agent.updateEntries(base).get(0).cursor().encoded();
            }
            String finalId = last;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (received.get() < 2000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(received.get()).isEqualTo(2000);
            assertThat(lastId.get()).isEqualTo(finalId);
            // the stalled stream's write never completes: the idle timeout closes it, and its slot is free
            awaitSubscribers(1);
            assertThat(api.agent.subscribers()).isEqualTo(1);
            reader.close();
            t.join(WAIT.toMillis());
        }

        @Test
        void beyondTheSubscriberLimitIs429UntilASlotFrees() throws Exception {
            start(s -> s.withLimits(s.limits().withMaxSubscribers(2)).withHeartbeat(Duration.ofMillis(100)));
            SseClient a = watch("");
            SseClient b = watch("");
            assertThat(a.nextEvent(WAIT).event()).isEqualTo("head");
            assertThat(b.nextEvent(WAIT).event()).isEqualTo("head");
            SseClient c = watch("");
            assertThat(c.status()).isEqualTo(429);
            assertThat(c.header("retry-after")).isEqualTo("30");
            JsonNode p = ApiFixture.json(c.remainingBody());
            assertThat(p.get("type").asText()).isEqualTo("urn:hostdev:problem:too-many-subscribers");
            assertThat(p.get("limit").asInt()).isEqualTo(2);
            a.close();
            // the next heartbeat's write fails on the closed connection and frees the slot
            awaitSubscribers(1);
            SseClient d = watch("");
            assertThat(d.status()).isEqualTo(200);
            assertThat(d.nextEvent(WAIT).event()).isEqualTo("head");
        }

        void awaitSubscribers(int n) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (api.server.subscribers() != n && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(api.server.subscribers()).isEqualTo(n);
        }
    }
}
