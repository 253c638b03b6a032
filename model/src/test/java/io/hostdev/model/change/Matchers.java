package io.hostdev.model.change;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.cap.GenericCapability;
import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.StorageCapability;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Matchers for property tests, each with the selector text it stands for (so a failing case reads
 * like a selector). Hand-written atoms for now; {@link #selectors} turns selector strings into
 * atoms through any parser, so real selectors join the same combinations:
 *
 * <pre>
 * Arbitrary&lt;NamedMatcher&gt; atoms = Arbitraries.oneOf(Matchers.handWritten(),
 *         Matchers.selectors(Selector::parse, "bus='pci' and cap='net'", "storage.size > 0"));
 * Arbitrary&lt;NamedMatcher&gt; any = Matchers.combinations(atoms, 3);
 * </pre>
 */
final class Matchers {

    private Matchers() {
    }

    record NamedMatcher(String text, DeviceMatcher matcher) implements DeviceMatcher {
        @Override
        public boolean matches(Device device, DeviceContext context) {
            return matcher.matches(device, context);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static NamedMatcher named(String text, DeviceMatcher m) {
        return new NamedMatcher(text, m);
    }

    /** Selector strings compiled by {@code compile} (a selector parser), as atoms. */
    static Arbitrary<NamedMatcher> selectors(Function<String, DeviceMatcher> compile, String... selectors) {
        return Arbitraries.of(Arrays.stream(selectors).map(s -> named(s, compile.apply(s))).toList());
    }

    /** A field equals a value, a bus on the path, under(NAME), and a few comparisons. */
    static Arbitrary<NamedMatcher> handWritten() {
        List<String> subsystems = Arrays.stream(RandomTrees.Kind.values()).map(k -> k.subsystem).toList();
        List<String> caps = List.of("pci", "usb_device", "virtio", "scsi", "net", "storage", "generic", "system");
        List<String> names = RandomTrees.namePool();
        return Arbitraries.oneOf(
                Arbitraries.of(subsystems).map(s -> named("subsystem='" + s + "'",
                        (d, c) -> s.equals(d.subsystem()))),
                Arbitraries.of(RandomTrees.BUSES).map(b -> named("bus='" + b + "'",
                        (d, c) -> c.buses().contains(b))),
                Arbitraries.of(caps).map(t -> named("cap='" + t + "'", (d, c) -> d.capabilityTypes().contains(t))),
                Arbitraries.of(RandomTrees.DRIVERS).map(v -> named("driver='" + v + "'",
                        (d, c) -> v.equals(d.driver()))),
                Arbitraries.of(names).map(n -> named("under('" + n + "')",
                        (d, c) -> d.name().equals(n) || c.ancestors().contains(n))),
                Arbitraries.of(names).map(n -> named("parent='" + n + "'", (d, c) -> n.equals(d.parent()))),
                Arbitraries.integers().between(1000, 2500).map(k -> named("net.mtu > " + k,
                        (d, c) -> d.capability(NetCapability.class).map(n -> n.mtu() != null && n.mtu() > k)
                                .orElse(false))),
                Arbitraries.integers().between(0, 4).map(k -> named("storage.size > " + k + "GiB",
                        (d, c) -> d.capability(StorageCapability.class)
                                .map(s -> s.size() != null && s.size() > (k * 1L << 30)).orElse(false))),
                Arbitraries.of("0", "1").map(v -> named("generic.attributes.online = '" + v + "'",
                        (d, c) -> d.capability(GenericCapability.class)
                                .map(g -> v.equals(g.attributes().get("online"))).orElse(false))),
                Arbitraries.just(named("stale", (d, c) -> d.stale())),
                Arbitraries.just(named("exists(driver)", (d, c) -> d.driver() != null)),
                Arbitraries.just(named("exists(devtype)", (d, c) -> d.devtype() != null)));
    }

    /** {@code not}, {@code and} and {@code or} over the atoms, nested up to {@code depth}. */
    static Arbitrary<NamedMatcher> combinations(Arbitrary<NamedMatcher> atoms, int depth) {
        if (depth == 0) {
            return atoms;
        }
        Arbitrary<NamedMatcher> inner = Arbitraries.lazy(() -> combinations(atoms, depth - 1));
        return Arbitraries.frequencyOf(
                Tuple.of(3, atoms),
                Tuple.of(1, inner.map(Matchers::not)),
                Tuple.of(1, inner.tuple2().map(t -> and(t.get1(), t.get2()))),
                Tuple.of(1, inner.tuple2().map(t -> or(t.get1(), t.get2()))));
    }

    static NamedMatcher not(NamedMatcher m) {
        return named("not (" + m.text() + ")", (d, c) -> !m.matches(d, c));
    }

    static NamedMatcher and(NamedMatcher a, NamedMatcher b) {
        return named("(" + a.text() + " and " + b.text() + ")", (d, c) -> a.matches(d, c) && b.matches(d, c));
    }

    static NamedMatcher or(NamedMatcher a, NamedMatcher b) {
        return named("(" + a.text() + " or " + b.text() + ")", (d, c) -> a.matches(d, c) || b.matches(d, c));
    }
}
