package io.hostdev.agent.client;

import io.hostdev.agent.testing.ContractServer;
import io.hostdev.agent.testing.JournalBackedService;
import io.hostdev.agent.testing.Trees;
import io.hostdev.model.change.ChangeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WatchTest {

    private static final Watch.Listener IGNORE = (cursor, event) -> {
    };

    @ParameterizedTest(name = "after {0} failures: {1}..{2} ms")
    @CsvSource({"1, 250, 500", "2, 500, 1000", "3, 1000, 2000", "7, 15000, 30000", "40, 15000, 30000"})
    void theBackoffDoublesUpToItsCapWithJitter(int failures, long min, long max) {
        Watch w = AgentClient.create("http://127.0.0.1:1", null, null, Duration.ofSeconds(1)).watch(null, null);
        for (int i = 0; i < 50; i++) {
            assertThat(w.delay(failures).toMillis()).isBetween(min, max);
        }
    }

    @Test
    void aConnectionThatGoesSilentIsDroppedAfterTheIdleTimeout() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        List<Socket> open = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = silent.accept();
                        open.add(s);
                        connections.incrementAndGet();
                        OutputStream out = s.getOutputStream();
                        // the headers, then nothing: what a half-open connection or a buffering proxy looks like
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            List<String> reconnects = new ArrayList<>();
            Watch w = AgentClient.create("http://127.0.0.1:" + silent.getLocalPort(), null, null, Duration.ofSeconds(2))
                    .watch(null, null).idleTimeout(Duration.ofMillis(300)).backoff(Duration.ofMillis(10),
                            Duration.ofMillis(20)).maxRetries(1);

            assertThatThrownBy(() -> w.run(new Watch.Listener() {
                @Override
                public void event(String cursor, ChangeEvent event) {
                }

                @Override
                public void reconnecting(String why, Duration delay) {
                    reconnects.add(why);
                }
            })).isInstanceOf(ClientException.class).hasMessageContaining("after 2 attempts: nothing received for 300 ms");

            assertThat(connections).hasValue(2);
            assertThat(reconnects).containsExactly("nothing received for 300 ms (not even a heartbeat)");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void aRefusalIsNotRetried(@TempDir Path state) {
        try (JournalBackedService service = JournalBackedService.open(state, Trees.computer().build());
             ContractServer server = ContractServer.start(service, () -> "", "t0ken", Duration.ofSeconds(15), null)) {
            Watch w = AgentClient.create(server.url(), null, null, Duration.ofSeconds(5)).watch(null, null);

            assertThatThrownBy(() -> w.run(IGNORE)).isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(401));
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void theHeadFrameIsWhereAResumeStarts(@TempDir Path state) throws Exception {
        try (JournalBackedService service = JournalBackedService.open(state, Trees.computer().build());
             ContractServer server = ContractServer.start(service, () -> "")) {
            Watch w = AgentClient.create(server.url(), null, null, Duration.ofSeconds(5)).watch(null, null);
            Thread t = new Thread(() -> w.run(IGNORE));
            t.setDaemon(true);
            t.start();
            long end = System.nanoTime() + 10_000_000_000L;
            while (w.lastEventId() == null && System.nanoTime() < end) {
                Thread.sleep(10);
            }

            assertThat(w.lastEventId()).isEqualTo(service.current().cursor().encoded());
            server.resyncStreams();
            t.join(10_000);
            assertThat(t.isAlive()).isFalse();
        }
    }
}
