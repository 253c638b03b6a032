package io.hostdev.agent.core;

import io.hostdev.agent.config.ProbeSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeSchedulerTest {

    static {
        NetHost.quietLogs();
    }

    @ParameterizedTest(name = "interval {0} ms, run {1} ms: wait {2} ms")
    @CsvSource({
            "10000, 50, 10000",     // an ordinary host: the interval
            "10000, 526, 10000",    // 526 x 19 = 9,994: still under the interval
            "10000, 1730, 32870",   // 10,000 devices: 1.73 s a run, 5% of the time
            "10000, 60000, 100000", // never beyond ten intervals
            "100, 0, 100"})
    void aLongRunStretchesTheWaitAfterItWithinTenIntervals(long interval, long run, long wait) {
        assertThat(ProbeScheduler.pause(interval, run, 0.05)).isEqualTo(wait);
    }

    @Test
    void aShareOfOneNeverStretches() {
        assertThat(ProbeScheduler.pause(100, 60_000, 1.0)).isEqualTo(100);
        assertThat(ProbeScheduler.pause(10_000, 1730, 0.5)).isEqualTo(10_000);
        assertThat(ProbeScheduler.pause(1000, 1730, 0.5)).isEqualTo(1730);
    }

    @Test
    void aProbeThatRunsLongerThanItsIntervalIsNotRunBackToBack() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        ProbeScheduler scheduler = new ProbeScheduler(List.of(new ProbeScheduler.Entry("slow",
                new ProbeSchedule(true, Duration.ofMillis(10), Duration.ofSeconds(5), Duration.ZERO), () -> {
                    runs.incrementAndGet();
                    try {
                        Thread.sleep(60);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })), 0.05);
        scheduler.start();
        try {
            Thread.sleep(2000);
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }
        // 60 ms runs with 10 ms waits would be 28 runs; stretched to 100 ms waits (ten intervals) from the second on, about 12
        assertThat(runs.get()).isBetween(2, 14);
    }
}
