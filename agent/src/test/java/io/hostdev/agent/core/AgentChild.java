package io.hostdev.agent.core;

import io.hostdev.agent.journal.JournalConfig;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.model.change.ChangeEvent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's core in a JVM of its own, for {@link AgentRestartTest}: probes {@code ROOT} every
 * {@code MILLIS} into {@code STATE} and prints what happens, one line each —
 * {@code startup KIND REPLAYED}, {@code ready SEQ}, {@code event SEQ KIND NAME}, {@code closed}.
 * With {@code HALT} it dies (like {@code kill -9}) while delivering its HALT-th batch: after the
 * journal append, before the state snapshot is written.
 *
 * <p>Usage: {@code AgentChild ROOT STATE MILLIS [HALT]}
 */
public final class AgentChild {

    static final int HALTED = 99;

    private AgentChild() {
    }

    public static void main(String[] args) throws Exception {
        NetHost.quietLogs();
        Path root = Path.of(args[0]);
        Path state = Path.of(args[1]);
        Duration interval = Duration.ofMillis(Long.parseLong(args[2]));
        int haltAfter = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        NetHost host = new NetHost(root);
        AgentCore core = AgentCore.open(new AgentCore.Options(state, JournalConfig.DEFAULTS, Duration.ofSeconds(5)),
                List.of(new AgentProbe.Devices("sysfs", NetHost.schedule(interval, Duration.ofSeconds(20)),
                        host.reader())));
        System.out.println("startup " + core.startup().kind() + " " + core.startup().replayed());
        AtomicInteger batches = new AtomicInteger();
        core.subscribe(entries -> {
            for (JournalEntry<ChangeEvent> e : entries) {
                System.out.println("event " + e.sequence() + " " + e.value().kind().json() + " " + e.value().name());
            }
            System.out.flush();
            if (batches.incrementAndGet() == haltAfter) {
                Runtime.getRuntime().halt(HALTED);
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            core.close();
            System.out.println("closed");
            System.out.flush();
        }));
        core.start();
        while (!core.ready()) {
            Thread.sleep(10);
        }
        System.out.println("ready " + core.current().cursor().sequence());
        System.out.flush();
        core.awaitClosed();
    }
}
