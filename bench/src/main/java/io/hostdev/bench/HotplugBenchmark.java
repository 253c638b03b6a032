package io.hostdev.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Hotplug latency through a running agent (issue 6's benchmark): over N add/remove cycles of a veth
 * pair, the time from {@code ip link add} (and {@code del}) returning to the matching event arriving
 * on an open {@code GET /v1/watch?selector=cap='net'} stream. Root only: it creates real links.
 *
 * <pre>HotplugBenchmark --url http://127.0.0.1:PORT [--cycles 50]</pre>
 *
 * bench/hotplug-bench.sh starts an agent and runs this against it.
 */
public final class HotplugBenchmark {

    private record Line(long nanos, String text) {
    }

    private HotplugBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        int cycles = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--cycles" -> cycles = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url of a running agent is required");
        }
        BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest watch = HttpRequest.newBuilder(URI.create(url + "/v1/watch?selector="
                + URLEncoder.encode("cap='net'", StandardCharsets.UTF_8))).build();
        HttpResponse<Stream<String>> stream = http.send(watch, HttpResponse.BodyHandlers.ofLines());
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/watch answered " + stream.statusCode());
        }
        Thread reader = new Thread(() -> stream.body().forEach(l -> lines.add(new Line(System.nanoTime(), l))),
                "sse-reader");
        reader.setDaemon(true);
        reader.start();
        awaitLine(lines, "event: head");

        List<Double> adds = new ArrayList<>();
        List<Double> removes = new ArrayList<>();
        String prefix = String.format("hdlat%04x", ProcessHandle.current().pid() & 0xffff);
        for (int i = 0; i < cycles; i++) {
            String a = prefix + "a";
            long added = ip("link", "add", a, "type", "veth", "peer", "name", prefix + "b");
            adds.add(millis(awaitLine(lines, "\"kind\":\"added\",\"name\":\"net_" + a + "_") - added));
            long removed = ip("link", "del", a);
            removes.add(millis(awaitLine(lines, "\"kind\":\"removed\",\"name\":\"net_" + a + "_") - removed));
        }
        System.out.printf(Locale.ROOT, "hotplug latency over %d cycles of a veth pair (ms, from `ip` returning "
                + "to the SSE event):%n", cycles);
        System.out.println("| event | p50 | p99 | max | min |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        row("add", adds);
        row("remove", removes);
    }

    /** Runs {@code ip ARGS}; the {@link System#nanoTime} when it returned. */
    private static long ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
        return System.nanoTime();
    }

    /** The arrival time of the first line containing {@code text}; fails after 60 s. */
    private static long awaitLine(BlockingQueue<Line> lines, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Line l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) {
                throw new IllegalStateException("no line with " + text + " within 60 s");
            }
            if (l.text().contains(text)) {
                return l.nanos();
            }
        }
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static void row(String what, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n", what, percentile(sorted, 50),
                percentile(sorted, 99), sorted.get(sorted.size() - 1), sorted.get(0));
    }

    private static double percentile(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
