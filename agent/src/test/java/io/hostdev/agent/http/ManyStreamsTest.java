package io.hostdev.agent.http;

import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.model.change.ChangeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1,000 concurrent idle watch streams on real loopback sockets: the server keeps answering other
 * requests, its threads stay within its pool (idle streams hold none), memory stays bounded, and
 * every stream is still live. The figures go to the test's output (docs/http-api.md quotes them).
 */
@Timeout(120)
class ManyStreamsTest {

    static final int STREAMS = 1000;

    @TempDir
    Path dir;

    ApiFixture api;
    final List<SseClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (SseClient c : clients) {
            c.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void aThousandIdleStreamsHoldNoThreadsAndLeaveTheServerResponsive() throws Exception {
        HttpSettings.Limits limits = HttpSettings.Limits.DEFAULTS.withMaxSubscribers(STREAMS + 10);
        api = new ApiFixture(dir, TestHost.tree(), TestHost.capabilities("x86_64"), s -> s.withLimits(limits));
        // warm up the paths measured below, so the baseline includes the classes and buffers they load
        assertThat(api.get("/v1/devices?selector=cap%3D%27net%27").statusCode()).isEqualTo(200);
        // (the server notices a closed stream only at its next write, a heartbeat: this one stays open and counts)
        SseClient warm = SseClient.open(api.server.port(), "/v1/watch", Map.of());
        clients.add(warm);
        assertThat(warm.nextEvent(Duration.ofSeconds(10)).event()).isEqualTo("head");
        long heapBefore = usedHeapAfterGc();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        for (int i = 1; i < STREAMS; i++) {
            clients.add(SseClient.connect(api.server.port(), "/v1/watch", Map.of()));
        }
        for (SseClient c : clients.subList(1, STREAMS)) {
            c.readHead();
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.nextEvent(Duration.ofSeconds(10)).event()).isEqualTo("head");
        }
        assertThat(api.server.subscribers()).isEqualTo(STREAMS);
        assertThat(api.agent.subscribers()).isEqualTo(STREAMS);

        int threadsWith = ManagementFactory.getThreadMXBean().getThreadCount();
        long serverThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("hostdev-http")).count();
        long heapWith = usedHeapAfterGc();
        int busy = api.server.busyThreads();
        int pooled = api.server.poolThreads();

        long[] healthz = new long[50];
        long[] listing = new long[50];
        for (int i = 0; i < healthz.length; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> h = api.get("/healthz");
            healthz[i] = System.nanoTime() - t0;
            assertThat(h.statusCode()).isEqualTo(200);
            t0 = System.nanoTime();
            HttpResponse<String> l = api.get("/v1/devices?selector=cap%3D%27net%27");
            listing[i] = System.nanoTime() - t0;
            assertThat(l.statusCode()).isEqualTo(200);
        }
        System.out.printf("%d idle watch streams: server pool %d threads (max %d), %d of them busy, "
                        + "threads named hostdev-http* %d, JVM threads %d -> %d, heap after GC %.1f -> %.1f MiB (%.1f KiB per stream); with them open: /healthz p50 %.2f ms "
                        + "p99 %.2f ms, /v1/devices?selector=cap='net' p50 %.2f ms p99 %.2f ms%n",
                STREAMS, pooled, limits.maxThreads(), busy, serverThreads, threadsBefore, threadsWith, heapBefore / 1048576.0,
                heapWith / 1048576.0, (heapWith - heapBefore) / 1024.0 / STREAMS, ms(healthz, 50), ms(healthz, 99),
                ms(listing, 50), ms(listing, 99));

        // idle streams hold no thread: only the acceptor and the selector are busy, the pool never grew past its
        // bound, nor the JVM by one thread per stream
        assertThat(busy).isLessThanOrEqualTo(3);
        assertThat(serverThreads).isLessThanOrEqualTo(limits.maxThreads() + 1);
        assertThat(threadsWith - threadsBefore).isLessThan(limits.maxThreads());
        // bounded memory: well under 100 KiB per idle stream
        assertThat(heapWith - heapBefore).isLessThan(STREAMS * 100L * 1024);
    }

    @Test
    void everyOneOfAThousandStreamsGetsALiveEvent() throws Exception {
        HttpSettings.Limits limits = HttpSettings.Limits.DEFAULTS.withMaxSubscribers(STREAMS);
        api = new ApiFixture(dir, TestHost.tree(), TestHost.capabilities("x86_64"), s -> s.withLimits(limits));
        for (int i = 0; i < STREAMS; i++) {
            clients.add(SseClient.connect(api.server.port(), "/v1/watch?selector=cap%3D%27net%27", Map.of()));
        }
        for (SseClient c : clients) {
            c.readHead();
            assertThat(c.nextEvent(Duration.ofSeconds(10)).event()).isEqualTo("head");
        }
        SseClient refused = SseClient.open(api.server.port(), "/v1/watch", Map.of());
        clients.add(refused);
        assertThat(refused.status()).isEqualTo(429);
        List<JournalEntry<ChangeEvent>> e = api.agent.updateEntries(TestHost.tree("veth1"));
        for (SseClient c : clients.subList(0, STREAMS)) {
            SseClient.Frame f = c.nextEvent(Duration.ofSeconds(10));
            assertThat(f.id()).isEqualTo(e.get(0).cursor().encoded());
            assertThat(f.event()).isEqualTo("added");
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, m.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static double ms(long[] nanos, int percentile) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int i = Math.min(s.length - 1, (int) Math.ceil(percentile / 100.0 * s.length) - 1);
        return s[Math.max(0, i)] / 1e6;
    }
}
