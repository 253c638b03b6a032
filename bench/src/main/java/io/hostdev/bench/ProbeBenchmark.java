package io.hostdev.bench;

import io.hostdev.probes.Access;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.sysfs.SysfsProbe;
import io.hostdev.probes.sysfs.SysfsScan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sysfs probe's cost against its floor: the time to merely perform the same file accesses
 * (every read, readlink, listing and stat the probe made, recorded once) in the same JVM. The
 * ratio is what parsing, naming and tree building add on top of unavoidable I/O. Runs probe and
 * floor alternately after a warm-up and reports medians.
 *
 * <pre>
 * java ... io.hostdev.bench.ProbeBenchmark [--devices N] [--rounds R] [--warmup W] [--dir DIR] [--no-live]
 * </pre>
 */
public final class ProbeBenchmark {

    private ProbeBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int devices = 10_000;
        int rounds = 15;
        int warmup = 5;
        Path dir = null;
        boolean live = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--devices" -> devices = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--no-live" -> live = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path root = dir != null ? dir : Files.createTempDirectory("hostdev-synthetic-");
        long t0 = System.nanoTime();
        int written = SyntheticHost.generate(root, devices);
        System.out.printf(Locale.ROOT, "synthetic host: %d devices written to %s in %.1f s%n", written, root,
                (System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "%-16s %8s %9s %11s %11s %7s %12s%n", "host", "devices", "accesses",
                "probe ms", "floor ms", "ratio", "devices/s");
        measure("synthetic", HostRoot.of(root), rounds, warmup);
        if (live && Files.isDirectory(HostRoot.live().sys().resolve("class"))) {
            measure("this machine", HostRoot.live(), rounds * 4, warmup * 4);
        }
        if (dir == null) {
            delete(root);
        }
    }

    static void measure(String label, HostRoot root, int rounds, int warmup) {
        SysfsProbe probe = new SysfsProbe();
        HostFiles recording = HostFiles.recording(root);
        SysfsScan scan = probe.probe(recording);
        List<Access> accesses = recording.accesses();
        HostFiles files = HostFiles.of(root);

        long[] probeNs = new long[rounds];
        long[] floorNs = new long[rounds];
        for (int i = -warmup; i < rounds; i++) {
            long a = System.nanoTime();
            int n = probe.probe(files).tree().size();
            long b = System.nanoTime();
            long touched = replay(files, accesses);
            long c = System.nanoTime();
            if (n != scan.tree().size() || touched < 0) {
                throw new IllegalStateException("host changed during the benchmark");
            }
            if (i >= 0) {
                probeNs[i] = b - a;
                floorNs[i] = c - b;
            }
        }
        double probeMs = median(probeNs) / 1e6;
        double floorMs = median(floorNs) / 1e6;
        System.out.printf(Locale.ROOT, "%-16s %8d %9d %11.1f %11.1f %7.2f %12.0f%n", label, scan.tree().size(),
                accesses.size(), probeMs, floorMs, probeMs / floorMs, scan.tree().size() / (probeMs / 1000));
        Map<Access.Kind, Integer> kinds = new EnumMap<>(Access.Kind.class);
        accesses.forEach(x -> kinds.merge(x.kind(), 1, Integer::sum));
        System.out.printf(Locale.ROOT, "%-16s accesses by kind: %s; min probe %.1f ms, min floor %.1f ms%n", "",
                kinds, Arrays.stream(probeNs).min().orElse(0) / 1e6, Arrays.stream(floorNs).min().orElse(0) / 1e6);
    }

    /** Performs the recorded accesses and nothing else; returns a checksum so no work is skipped. */
    static long replay(HostFiles files, List<Access> accesses) {
        long sum = 0;
        byte[] chunk = new byte[64 * 1024];
        for (Access a : accesses) {
            switch (a.kind()) {
                case READ -> {
                    String s = files.read(a.path());
                    sum += s == null ? 0 : s.length();
                }
                case OPEN -> {
                    try (InputStream in = files.open(a.path())) {
                        if (in != null) {
                            for (int n; (n = in.read(chunk)) > 0; ) {
                                sum += n;
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                case READLINK -> sum += files.readLink(a.path()) == null ? 0 : 1;
                case LIST -> sum += files.list(a.path()).size();
                case STAT -> sum += files.stat(a.path()) == null ? 0 : 1;
                case REALPATH -> sum += files.realPath(a.path()) == null ? 0 : 1;
            }
        }
        return sum;
    }

    static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    static void delete(Path root) throws IOException {
        List<Path> all = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            walk.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(all.get(i));
        }
    }
}
