package io.hostdev.agent.client;

import io.hostdev.agent.http.HttpSettings;
import io.hostdev.agent.testing.AgentEndpoint;
import io.hostdev.agent.testing.JournalBackedService;
import io.hostdev.agent.testing.TcpProxy;
import io.hostdev.agent.testing.Trees;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.change.ChangeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Watch} against the agent's real HTTP server, with a {@link TcpProxy} in front where the test
 * needs to see what was sent or to make the connection misbehave.
 */
@Timeout(60)
class WatchTest {

    private static final Watch.Listener IGNORE = (cursor, event) -> {
    };
    /** Read-scope token of the token-file tests (the agent wants at least 16 characters). */
    private static final String READ_TOKEN = "r3ad-t0ken-0123456789";

    @TempDir
    Path dir;

    JournalBackedService service;
    AgentEndpoint agent;
    TcpProxy proxy;

    @BeforeEach
    void open() {
        service = JournalBackedService.open(dir.resolve("state"), Trees.computer().build());
    }

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
        if (agent != null) {
            agent.close();
        }
        service.close();
    }

    void serve(UnaryOperator<HttpSettings> settings) {
        agent = AgentEndpoint.serve(service, settings);
        proxy = TcpProxy.to(agent.port());
    }

    @ParameterizedTest(name = "after {0} failures: {1}..{2} ms")
    @CsvSource({"1, 250, 500", "2, 500, 1000", "3, 1000, 2000", "7, 15000, 30000", "40, 15000, 30000"})
    void theBackoffDoublesUpToItsCapWithJitter(int failures, long min, long max) {
        Watch w = AgentClient.create("http://127.0.0.1:1", null, null, Duration.ofSeconds(1)).watch(null, null);
        for (int i = 0; i < 50; i++) {
            assertThat(w.delay(failures).toMillis()).isBetween(min, max);
        }
    }

    @Test
    void aConnectionThatGoesSilentIsDroppedAfterTheIdleTimeout() {
        serve(s -> s);
        // the answer's head gets through, then nothing: a half-open connection or a buffering proxy
        proxy.swallowBodies();
        List<String> reconnects = new ArrayList<>();
        Watch w = AgentClient.create(proxy.url(), null, null, Duration.ofSeconds(2))
                .watch(null, null).idleTimeout(Duration.ofMillis(300))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20)).maxRetries(1);

        assertThatThrownBy(() -> w.run(new Watch.Listener() {
            @Override
            public void event(String cursor, ChangeEvent event) {
            }

            @Override
            public void reconnecting(String why, Duration delay) {
                reconnects.add(why);
            }
        })).isInstanceOf(ClientException.class).hasMessageContaining("after 2 attempts: nothing received for 300 ms");

        assertThat(proxy.connections()).isEqualTo(2);
        assertThat(reconnects).containsExactly("nothing received for 300 ms (not even a heartbeat)");
    }

    @Test
    void aRefusalIsNotRetried() throws Exception {
        Path tokens = AgentEndpoint.tokenFile(dir.resolve("tokens"), "read " + READ_TOKEN + "\n");
        serve(s -> s.withTokenFile(tokens));
        Watch w = AgentClient.create(proxy.url(), null, null, Duration.ofSeconds(5)).watch(null, null)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20));

        assertThatThrownBy(() -> w.run(IGNORE)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(401));
        assertThat(proxy.requests("/v1/watch")).hasSize(1);
    }

    @Test
    void aBadSelectorIsNotRetriedEither() {
        serve(s -> s);
        Watch w = AgentClient.create(proxy.url(), null, null, Duration.ofSeconds(5)).watch("cap ==", null)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20));

        assertThatThrownBy(() -> w.run(IGNORE)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).problem().column()).isNotNull());
        assertThat(proxy.requests("/v1/watch")).hasSize(1);
    }

    @Test
    void anAgentWithEveryStreamTakenIsAskedAgainLater() {
        serve(s -> s.withLimits(HttpSettings.Limits.DEFAULTS.withMaxSubscribers(0)));
        Watch w = AgentClient.create(proxy.url(), null, null, Duration.ofSeconds(5)).watch(null, null)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20)).maxRetries(2);

        assertThatThrownBy(() -> w.run(IGNORE)).isInstanceOf(ClientException.class)
                .hasMessageContaining("after 3 attempts: the agent answered HTTP 429: ");
        assertThat(proxy.requests("/v1/watch")).hasSize(3);
    }

    @Test
    void aResyncThatEndsTheStreamEndsTheWatchWithoutAReconnection() {
        serve(s -> s);
        String foreign;
        try (JournalBackedService elsewhere = JournalBackedService.open(dir.resolve("elsewhere"),
                Trees.computer().build())) {
            foreign = elsewhere.update(Trees.computer().add(Trees.other("ttyS9", "tty", null)).build()).encoded();
        }
        // the agent writes the resync frame and closes the stream at once: the frame must win over the close,
        // every time (the JDK reports the end of a body before its last lines reach a slow reader)
        for (int i = 0; i < 20; i++) {
            List<String> reconnects = new ArrayList<>();
            Watch w = AgentClient.create(agent.url(), null, null, Duration.ofSeconds(5)).watch(null, foreign)
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(20));

            Problem p = w.run(new Watch.Listener() {
                @Override
                public void event(String cursor, ChangeEvent event) {
                }

                @Override
                public void reconnecting(String why, Duration delay) {
                    reconnects.add(why);
                }
            });

            assertThat(reconnects).as("watch %d", i).isEmpty();
            assertThat(p.reason()).isEqualTo("other_epoch");
            assertThat(p.head()).isEqualTo(service.current().cursor().encoded());
        }
    }

    @Test
    void theHeadFrameIsWhereAResumeStarts() throws Exception {
        serve(s -> s.withQueueSize(4));
        Watch w = AgentClient.create(agent.url(), null, null, Duration.ofSeconds(5)).watch(null, null);
        AtomicReference<Problem> ended = new AtomicReference<>();
        Thread t = new Thread(() -> ended.set(w.run(IGNORE)));
        t.setDaemon(true);
        t.start();
        long end = System.nanoTime() + 10_000_000_000L;
        while ((w.lastEventId() == null || service.subscribers() == 0) && System.nanoTime() < end) {
            Thread.sleep(10);
        }

        assertThat(w.lastEventId()).isEqualTo(service.current().cursor().encoded());
        // more events at once than the stream's queue holds: the agent tells it to resync, which ends run()
        List<Device> devices = new ArrayList<>(service.current().tree().devices());
        for (int i = 0; i < 8; i++) {
            devices.add(Trees.other("burst" + i, "burst", null));
        }
        String head = service.update(DeviceTree.of(devices)).encoded();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(ended.get().status()).isEqualTo(410);
        assertThat(ended.get().reason()).isEqualTo("behind");
        assertThat(ended.get().head()).isEqualTo(head);
    }
}
