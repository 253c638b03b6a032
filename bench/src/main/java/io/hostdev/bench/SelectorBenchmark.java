package io.hostdev.bench;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.select.Selector;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.sysfs.SysfsProbe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Selector evaluation over the synthetic host (10,000 devices by default, probed once with the real sysfs probe):
 * for a few typical selectors, the cost of parsing and the cost per device of evaluating, against two baselines
 * measured in the same run — iterating the devices and reading each one's name (the least a filter can do), and
 * looking up each device's context in the tree (what a listing adds before evaluating). Rounds alternate between
 * the baselines and the selectors after a warm-up; the figures are medians.
 *
 * <pre>
 * java ... io.hostdev.bench.SelectorBenchmark [--devices N] [--rounds R] [--warmup W]
 * </pre>
 */
public final class SelectorBenchmark {

    private SelectorBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int devices = 10_000;
        int rounds = 41;
        int warmup = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--devices" -> devices = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path root = Files.createTempDirectory("hostdev-synthetic-");
        DeviceTree tree;
        try {
            SyntheticHost.generate(root, devices);
            tree = new SysfsProbe().probe(HostFiles.of(HostRoot.of(root))).tree();
        } finally {
            ProbeBenchmark.delete(root);
        }
        List<Device> list = tree.devices();
        List<DeviceContext> contexts = new ArrayList<>(list.size());
        for (Device d : list) {
            contexts.add(tree.context(d.name()));
        }
        String firstPciParent = firstBridgeLike(tree);
        List<String> selectors = List.of(
                "cap='net'",
                "bus='pci' and cap='net'",
                "pci.vendor.id = '0x8086' and pci.sriov.num_vfs > 0",
                "pci.vendor.id == 0x8086",
                "name =~ '^net_.*_0[0-9]$'",
                "under('" + firstPciParent + "')",
                "storage.size >= 0x40000000 or net.link.speed > 1000");

        System.out.printf(Locale.ROOT, "selector evaluation over %d devices (synthetic host), medians of %d rounds%n",
                list.size(), rounds);
        long[] nameNs = new long[rounds];
        long[] contextNs = new long[rounds];
        List<Selector> parsed = new ArrayList<>();
        for (String s : selectors) {
            parsed.add(Selector.parse(s));
        }
        long[][] evalNs = new long[selectors.size()][rounds];
        int[] matched = new int[selectors.size()];
        long sink = 0;
        for (int r = -warmup; r < rounds; r++) {
            long a = System.nanoTime();
            sink += names(list);
            long b = System.nanoTime();
            sink += contexts(tree, list);
            long c = System.nanoTime();
            if (r >= 0) {
                nameNs[r] = b - a;
                contextNs[r] = c - b;
            }
            for (int s = 0; s < parsed.size(); s++) {
                long t0 = System.nanoTime();
                int n = evaluate(parsed.get(s), list, contexts);
                long t1 = System.nanoTime();
                matched[s] = n;
                if (r >= 0) {
                    evalNs[s][r] = t1 - t0;
                }
            }
        }
        double base = ProbeBenchmark.median(nameNs) / list.size() / 1000;
        System.out.printf(Locale.ROOT, "%-56s %9s %8s %9s %9s%n", "", "matched", "µs/dev", "x name", "parse µs");
        System.out.printf(Locale.ROOT, "%-56s %9s %8.4f %9.1f %9s%n", "baseline: iterate, read name", "-", base, 1.0, "-");
        double ctx = ProbeBenchmark.median(contextNs) / list.size() / 1000;
        System.out.printf(Locale.ROOT, "%-56s %9s %8.4f %9.1f %9s%n", "baseline: iterate, look up context in the tree",
                "-", ctx, ctx / base, "-");
        for (int s = 0; s < parsed.size(); s++) {
            double perDevice = ProbeBenchmark.median(evalNs[s]) / list.size() / 1000;
            System.out.printf(Locale.ROOT, "%-56s %9d %8.4f %9.1f %9.1f%n", selectors.get(s), matched[s], perDevice,
                    perDevice / base, parseMicros(selectors.get(s)));
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** The first root port (the synthetic host's SR-IOV NICs hang below it), or else the root's first child. */
    private static String firstBridgeLike(DeviceTree tree) {
        if (tree.get("pci_0000_00_01_0").isPresent()) {
            return "pci_0000_00_01_0";
        }
        List<Device> top = tree.children(DeviceTree.ROOT);
        return top.isEmpty() ? DeviceTree.ROOT : top.get(0).name();
    }

    private static long names(List<Device> list) {
        long sum = 0;
        for (int i = 0, n = list.size(); i < n; i++) {
            sum += list.get(i).name().length();
        }
        return sum;
    }

    private static long contexts(DeviceTree tree, List<Device> list) {
        long sum = 0;
        for (int i = 0, n = list.size(); i < n; i++) {
            sum += tree.context(list.get(i).name()).ancestors().size();
        }
        return sum;
    }

    private static int evaluate(Selector s, List<Device> list, List<DeviceContext> contexts) {
        int n = 0;
        for (int i = 0, size = list.size(); i < size; i++) {
            if (s.matches(list.get(i), contexts.get(i))) {
                n++;
            }
        }
        return n;
    }

    private static double parseMicros(String selector) {
        int reps = 20_000;
        long sink = 0;
        for (int i = 0; i < reps; i++) {
            sink += Selector.parse(selector).hashCode();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            sink += Selector.parse(selector).hashCode();
        }
        double us = (System.nanoTime() - t0) / 1000.0 / reps;
        return sink == 42 ? -us : us;
    }
}
