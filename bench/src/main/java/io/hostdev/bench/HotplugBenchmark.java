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
 * <p>A removal's event can arrive before {@code ip link del} returns ({@code ip} waits for the
 * kernel to let go of the pair; the uevent goes out before): such an event counts as 0 ms, and how
 * many did is printed.
 *
 * <p>With {@code --burst N --agent-pid PID}, it then measures what the agent's process spends on
 * uevents: its CPU time over an idle period, then over a burst of N {@code change} uevents (written
 * to {@code sys/class/net/lo/uevent} under the live root, which makes the kernel announce the
 * loopback interface again), minus the idle rate; read from {@code proc/PID/stat}.
 *
 * <pre>HotplugBenchmark --url http://127.0.0.1:PORT [--cycles 50] [--burst 1000 --agent-pid PID]</pre>
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
        int burst = 0;
        long agentPid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--cycles" -> cycles = Integer.parseInt(args[++i]);
                case "--burst" -> burst = Integer.parseInt(args[++i]);
                case "--agent-pid" -> agentPid = Long.parseLong(args[++i]);
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
        int[] early = new int[2];
        String prefix = String.format("hdlat%04x", ProcessHandle.current().pid() & 0xffff);
        for (int i = 0; i < cycles; i++) {
            String a = prefix + "a";
            long added = ip("link", "add", a, "type", "veth", "peer", "name", prefix + "b");
            adds.add(latency(awaitLine(lines, "\"kind\":\"added\",\"name\":\"net_" + a + "_"), added, early, 0));
            long removed = ip("link", "del", a);
            removes.add(latency(awaitLine(lines, "\"kind\":\"removed\",\"name\":\"net_" + a + "_"), removed, early,
                    1));
        }
        System.out.printf(Locale.ROOT, "hotplug latency over %d cycles of a veth pair (ms, from `ip` returning "
                + "to the SSE event):%n", cycles);
        System.out.println("| event | p50 | p99 | max | min | before `ip` returned |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        row("add", adds, early[0]);
        row("remove", removes, early[1]);
        if (burst > 0) {
            if (agentPid < 0) {
                throw new IllegalArgumentException("--burst needs --agent-pid");
            }
            burst(agentPid, burst);
        }
    }

    /** Milliseconds from {@code returned} to {@code arrived}; an event that came first counts as 0. */
    private static double latency(long arrived, long returned, int[] early, int kind) {
        if (arrived < returned) {
            early[kind]++;
            return 0;
        }
        return millis(arrived - returned);
    }

    /** The agent's CPU time over 30 s idle, then over a burst of {@code n} change uevents. */
    private static void burst(long pid, int n) throws IOException, InterruptedException {
        io.hostdev.probes.HostRoot root = io.hostdev.probes.HostRoot.live();
        java.nio.file.Path stat = root.proc().resolve(Long.toString(pid)).resolve("stat");
        java.nio.file.Path uevent = root.sys().resolve("class").resolve("net").resolve("lo").resolve("uevent");
        long hz = 100;
        Thread.sleep(2000);
        long idleStart = System.nanoTime();
        long cpu0 = cpuTicks(stat);
        Thread.sleep(30_000);
        long cpu1 = cpuTicks(stat);
        double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
        double idleMsPerSecond = (cpu1 - cpu0) * 1000.0 / hz / idleSeconds;

        long burstStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            java.nio.file.Files.writeString(uevent, "change");
        }
        double writeSeconds = (System.nanoTime() - burstStart) / 1e9;
        Thread.sleep(3000);
        long cpu2 = cpuTicks(stat);
        double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
        double burstMs = (cpu2 - cpu1) * 1000.0 / hz - idleMsPerSecond * burstSeconds;
        System.out.printf(Locale.ROOT, "agent CPU: idle %.2f ms/s (%.2f%% of a core) over %.0f s; a burst of %d change "
                        + "uevents (written in %.0f ms) cost %.0f ms of CPU beyond idle, %.0f us per uevent "
                        + "(clock ticks of 10 ms: +/- 10 ms)%n", idleMsPerSecond, idleMsPerSecond / 10, idleSeconds, n,
                writeSeconds * 1000, burstMs, burstMs * 1000 / n);
    }

    /** utime + stime of a process, in clock ticks, from {@code proc/PID/stat} (proc(5)). */
    private static long cpuTicks(java.nio.file.Path stat) throws IOException {
        String text = java.nio.file.Files.readString(stat);
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
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

    private static void row(String what, List<Double> values, int early) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %d |%n", what, percentile(sorted, 50),
                percentile(sorted, 99), sorted.get(sorted.size() - 1), sorted.get(0), early);
    }

    private static double percentile(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
