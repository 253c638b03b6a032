package io.hostdev.bench;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.ProbeOutcome;
import io.hostdev.model.change.Refresh;
import io.hostdev.model.change.TreeDiff;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.sysfs.SysfsProbe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The tree diff's cost against a floor measured in the same run: walking both trees and matching
 * devices by name, which any diff must do. The trees are the synthetic host as the sysfs probe
 * reads it, and a copy of it changed in memory (by default 1% of its devices: fields changed, some
 * removed, some added). As in the agent, the new tree is fresh each round (its contexts not yet
 * computed) and the previous one has been used before. A second scenario, a failed read, marks every
 * device stale: every device changes.
 *
 * <pre>
 * java ... io.hostdev.bench.DiffBenchmark [--devices N] [--changed PERCENT] [--rounds R] [--warmup W] [--seed S]
 * </pre>
 */
public final class DiffBenchmark {

    /** Results land here so that the JIT cannot drop the work that produced them. */
    static volatile long sink;

    private DiffBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int devices = 10_000;
        double changedPercent = 1.0;
        int rounds = 31;
        // with 1% changed, a round turns only about 100 devices into JSON: the JIT needs a few hundred
        // rounds before that code is compiled (after 60 rounds the diff still takes about 5x longer)
        int warmup = 300;
        long seed = 4;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--devices" -> devices = Integer.parseInt(args[++i]);
                case "--changed" -> changedPercent = Double.parseDouble(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path root = Files.createTempDirectory("hostdev-synthetic-");
        DeviceTree before;
        try {
            SyntheticHost.generate(root, devices);
            before = new SysfsProbe().probe(HostFiles.of(HostRoot.of(root))).tree();
        } finally {
            ProbeBenchmark.delete(root);
        }
        int changes = (int) Math.round(before.size() * changedPercent / 100);
        List<Device> after = mutate(before, changes, new Random(seed));
        System.out.printf(Locale.ROOT, "tree diff: %d devices before, %d after, %d changed (%.1f%%): %s%n",
                before.size(), after.size(), changes, changedPercent, counts(TreeDiff.diff(before, DeviceTree.of(after))));
        System.out.printf(Locale.ROOT, "%-38s %10s %12s %8s%n", "", "ms", "us/device", "ratio");
        measure(String.format(Locale.ROOT, "%.0f%% changed", changedPercent), before, after, rounds, warmup);
        List<Device> allStale = Refresh.apply(before, ProbeOutcome.failure("benchmark")).devices();
        measure("failed read (all stale)", before, allStale, rounds, warmup);
    }

    /**
     * Times, on the same pair of trees, alternately: the floor (match every device of either tree
     * by name in the other), names plus record {@code equals} (what the diff does for an unchanged
     * device), and the diff. Prints medians, per device of the new tree, and the ratio to the floor.
     */
    static void measure(String label, DeviceTree before, List<Device> after, int rounds, int warmup) {
        before.context(DeviceTree.ROOT);
        long[] floorNs = new long[rounds];
        long[] equalsNs = new long[rounds];
        long[] diffNs = new long[rounds];
        for (int i = -warmup; i < rounds; i++) {
            DeviceTree fresh = DeviceTree.of(after);
            long a = System.nanoTime();
            sink += walk(before, fresh, d -> 0);
            long b = System.nanoTime();
            sink += walk(before, fresh, d -> before.get(d.name()).map(o -> o.equals(d) ? 0 : 1).orElse(0));
            long c = System.nanoTime();
            sink += TreeDiff.diff(before, fresh).size();
            long e = System.nanoTime();
            if (i >= 0) {
                floorNs[i] = b - a;
                equalsNs[i] = c - b;
                diffNs[i] = e - c;
            }
        }
        int n = after.size();
        double floor = ProbeBenchmark.median(floorNs) / 1e6;
        print(label + ": floor (names)", floor, n, floor);
        print(label + ": names + equals", ProbeBenchmark.median(equalsNs) / 1e6, n, floor);
        print(label + ": diff", ProbeBenchmark.median(diffNs) / 1e6, n, floor);
    }

    private static void print(String label, double ms, int devices, double floorMs) {
        System.out.printf(Locale.ROOT, "%-38s %10.3f %12.3f %8.1f%n", label, ms, ms * 1000 / devices, ms / floorMs);
    }

    /** Matches every device of either tree in the other by name; {@code extra} adds per-device work. */
    static long walk(DeviceTree before, DeviceTree after, ToLongFunction<Device> extra) {
        long sum = 0;
        for (Device d : after.devices()) {
            sum += before.get(d.name()).isPresent() ? extra.applyAsLong(d) : 2;
        }
        for (Device d : before.devices()) {
            sum += after.get(d.name()).isPresent() ? 0 : 3;
        }
        return sum;
    }

    /**
     * A copy with {@code changes} devices changed: 60% get a field changed (MTU, size, an attribute,
     * the driver), 20% of the changes remove a leaf, 20% add a new device under a random one.
     */
    static List<Device> mutate(DeviceTree tree, int changes, Random random) {
        List<Device> all = tree.devices();
        Map<String, Device> out = new LinkedHashMap<>();
        all.forEach(d -> out.put(d.name(), d));
        int removals = changes / 5;
        int additions = changes / 5;
        int updates = changes - removals - additions;
        Set<String> touched = new HashSet<>();
        while (updates > 0) {
            Device d = all.get(1 + random.nextInt(all.size() - 1));
            if (touched.add(d.name())) {
                out.put(d.name(), changeOneField(d, random));
                updates--;
            }
        }
        while (removals > 0) {
            Device d = all.get(1 + random.nextInt(all.size() - 1));
            if (tree.children(d.name()).isEmpty() && touched.add(d.name())) {
                out.remove(d.name());
                removals--;
            }
        }
        for (int i = 0; i < additions; i++) {
            Device parent = all.get(random.nextInt(all.size()));
            String name = "bench_new_" + i;
            out.put(name, new Device(name, parent.name(), parent.path() + "/" + name, "bench", null, null, null,
                    List.of(), List.of(), List.of(GenericCapability.of("bench", Map.of("index", String.valueOf(i)))),
                    false));
        }
        return new ArrayList<>(out.values());
    }

    private static Device changeOneField(Device d, Random random) {
        List<Capability> caps = new ArrayList<>();
        boolean changed = false;
        for (Capability c : d.capabilities()) {
            if (c instanceof NetCapability n && n.mtu() != null) {
                caps.add(new NetCapability(n.interfaceName(), n.address(), n.ifindex(), n.mtu() + 1, n.link(), n.kind(),
                        n.master(), n.lower(), n.bridge(), n.bond(), n.vlan(), n.veth()));
                changed = true;
            } else if (c instanceof StorageCapability s && s.size() != null) {
                caps.add(new StorageCapability(s.kind(), s.block(), s.size() + 4096, s.logicalBlockSize(), s.removable(),
                        s.rotational(), s.readOnly(), s.model(), s.vendor(), s.serial(), s.wwn(), s.partition(),
                        s.backingFile(), s.media(), s.rotationRate(), s.connectionBus()));
                changed = true;
            } else if (c instanceof GenericCapability g && !g.attributes().isEmpty()) {
                Map<String, String> attributes = new LinkedHashMap<>(g.attributes());
                String key = attributes.keySet().iterator().next();
                attributes.put(key, attributes.get(key) + "-" + random.nextInt(10));
                caps.add(GenericCapability.of(g.subsystem(), attributes));
                changed = true;
            } else {
                caps.add(c);
            }
        }
        String driver = changed ? d.driver() : d.driver() == null ? "bench" : null;
        return new Device(d.name(), d.parent(), d.path(), d.subsystem(), d.bus(), d.devtype(), driver, d.devnodes(),
                d.aliases(), caps, d.stale());
    }

    private static Map<ChangeEvent.Kind, Integer> counts(List<ChangeEvent> events) {
        Map<ChangeEvent.Kind, Integer> counts = new EnumMap<>(ChangeEvent.Kind.class);
        events.forEach(e -> counts.merge(e.kind(), 1, Integer::sum));
        return counts;
    }
}
