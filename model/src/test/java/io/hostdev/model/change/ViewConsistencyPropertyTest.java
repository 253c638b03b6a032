package io.hostdev.model.change;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.change.Matchers.NamedMatcher;
import io.hostdev.model.change.RandomTrees.Mutation;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change engine's invariants over random trees and random mutations (subtrees added and
 * removed, fields changed, buses appearing on paths, renames, moves, stale marks, failed reads
 * and recoveries), for random matchers.
 */
class ViewConsistencyPropertyTest {

    @Provide
    Arbitrary<DeviceTree> trees() {
        return RandomTrees.trees();
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return RandomTrees.mutations();
    }

    /** A few rounds of mutations: the trees A → B → C → ... */
    @Provide
    Arbitrary<List<List<Mutation>>> histories() {
        return RandomTrees.mutations().list().ofMinSize(2).ofMaxSize(4);
    }

    /** Real parsed selectors over the fields the random trees have, next to the hand-written matchers. */
    static final String[] SELECTORS = {
            "bus='pci' and cap='net'", "cap='storage' and storage.size > 0", "pci.vendor.id == 0x8086",
            "net.link.state = 'up'", "not stale", "stale", "under('pci_1')", "under('usb_2') or under('scsi_3')",
            "name =~ '^net_'", "net.mtu >= 2000", "generic.attributes.online = '1'", "exists(pci.sriov.num_vfs)",
            "driver in ('virtio-pci', 'sd')", "storage.kind != 'partition'", "usb_device.speed > 100",
            "pci.assignable", "bus = 'usb' || bus == \"scsi\"", "cap='pci' and pci.iommu_group.number < 5",
            "scsi.lun > 1000000000000", "devtype = 'type1'", "not (cap = 'net' or cap = 'storage')",
            "aliases =~ ':0[0-9]$'", "net.bridge.ports in ('veth4', 'veth8')", "!exists(driver), subsystem='tty'"};

    @net.jqwik.api.Example
    void everySelectorInThePoolParses() {
        for (String s : SELECTORS) {
            org.assertj.core.api.Assertions.assertThatCode(() -> io.hostdev.model.select.Selector.parse(s))
                    .as(s).doesNotThrowAnyException();
        }
    }

    @Provide
    Arbitrary<List<NamedMatcher>> selectors() {
        Arbitrary<NamedMatcher> atoms = net.jqwik.api.Arbitraries.oneOf(Matchers.handWritten(),
                Matchers.selectors(io.hostdev.model.select.Selector::parse, SELECTORS));
        return Matchers.combinations(atoms, 3).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 1000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void listAtAPlusTheViewOfTheDiffIsTheListAtB(@ForAll("trees") DeviceTree a,
                                                  @ForAll("mutations") List<Mutation> mutations,
                                                  @ForAll("selectors") List<NamedMatcher> selectors) {
        DeviceTree b = RandomTrees.mutate(a, mutations);
        List<ChangeEvent> events = TreeDiff.diff(a, b);
        boolean starts = false;
        boolean stops = false;
        for (NamedMatcher s : selectors) {
            List<ChangeEvent> view = SubscriberView.apply(s, events);
            Map<String, DeviceState> seen = Replay.apply(Replay.index(SubscriberView.list(s, a)), view);
            assertThat(seen).as(s.text()).isEqualTo(Replay.index(SubscriberView.list(s, b)));
            Set<String> updated = names(events, ChangeEvent.Kind.UPDATED);
            starts |= view.stream().anyMatch(e -> e.kind() == ChangeEvent.Kind.ADDED && updated.contains(e.name()));
            stops |= view.stream().anyMatch(e -> e.kind() == ChangeEvent.Kind.REMOVED && updated.contains(e.name()));
        }
        // the generators must actually produce devices that start and stop matching (checked, not printed)
        Statistics.label("an update starts matching").collect(starts);
        Statistics.label("an update stops matching").collect(stops);
        Statistics.label("an update starts matching").coverage(c -> c.check(true).percentage(p -> p >= 5));
        Statistics.label("an update stops matching").coverage(c -> c.check(true).percentage(p -> p >= 5));
    }

    @Property(tries = 300)
    void viewsOfConcatenatedDiffsFollowASequenceOfTrees(@ForAll("trees") DeviceTree a,
                                                         @ForAll("histories") List<List<Mutation>> history,
                                                         @ForAll("selectors") List<NamedMatcher> selectors) {
        List<DeviceTree> trees = new ArrayList<>(List.of(a));
        List<List<ChangeEvent>> diffs = new ArrayList<>();
        for (List<Mutation> round : history) {
            DeviceTree previous = trees.get(trees.size() - 1);
            DeviceTree next = RandomTrees.mutate(previous, round);
            diffs.add(TreeDiff.diff(previous, next));
            trees.add(next);
        }
        for (NamedMatcher s : selectors) {
            // the concatenated diffs, filtered at once, take the listing at A to the listing at the end ...
            List<ChangeEvent> all = diffs.stream().flatMap(List::stream).toList();
            Map<String, DeviceState> atEnd = Replay.apply(Replay.index(SubscriberView.list(s, a)),
                    SubscriberView.apply(s, all));
            assertThat(atEnd).as(s.text()).isEqualTo(Replay.index(SubscriberView.list(s, trees.get(trees.size() - 1))));
            // ... and every cursor in between sees the listing of its own tree
            Map<String, DeviceState> state = Replay.index(SubscriberView.list(s, a));
            for (int i = 0; i < diffs.size(); i++) {
                state = Replay.apply(state, SubscriberView.apply(s, diffs.get(i)));
                assertThat(state).as("%s after round %d", s.text(), i + 1)
                        .isEqualTo(Replay.index(SubscriberView.list(s, trees.get(i + 1))));
            }
        }
    }

    @Property(tries = 500)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void theDiffIsAPatchThatKeepsATreeAtEveryStep(@ForAll("trees") DeviceTree a,
                                                  @ForAll("mutations") List<Mutation> mutations) throws Exception {
        DeviceTree b = RandomTrees.mutate(a, mutations);
        List<ChangeEvent> events = TreeDiff.diff(a, b);
        Map<String, DeviceState> end = Replay.apply(Replay.index(SubscriberView.list(DeviceMatcher.ALL, a)), events,
                Replay::assertIsATree);
        assertThat(end).isEqualTo(Replay.index(SubscriberView.list(DeviceMatcher.ALL, b)));
        assertThat(events).extracting(ChangeEvent::name).doesNotHaveDuplicates();
        boolean contextOnly = false;
        boolean rescued = false;
        for (ChangeEvent e : events) {
            if (e.kind() == ChangeEvent.Kind.UPDATED) {
                List<String> fields = e.changes().stream().map(FieldChange::field).toList();
                assertThat(fields).as(e.name()).isNotEmpty().doesNotHaveDuplicates();
                assertThat(Replay.patch(e.before(), e.changes())).as("%s patched with %s", e.name(), fields)
                        .isEqualTo(Replay.json(e.after()));
                contextOnly |= fields.stream().allMatch(f -> f.startsWith("context."));
                rescued |= b.get(e.before().device().parent() == null ? "" : e.before().device().parent()).isEmpty();
            } else {
                assertThat(e.changes()).isEmpty();
            }
            assertThat(ModelJson.reader().readValue(ModelJson.toJson(e), ChangeEvent.class)).isEqualTo(e);
        }
        assertThat(TreeDiff.diff(a, a)).isEmpty();
        assertThat(TreeDiff.diff(b, DeviceTree.of(reversed(b.devices())))).isEmpty();
        assertThat(TreeDiff.diff(DeviceTree.of(reversed(a.devices())), DeviceTree.of(reversed(b.devices()))))
                .isEqualTo(events);
        Statistics.label("an update only of the context").collect(contextOnly);
        Statistics.label("a device moved out from under a removed parent").collect(rescued);
        Statistics.label("an update only of the context").coverage(c -> c.check(true).percentage(p -> p >= 5));
        Statistics.label("a device moved out from under a removed parent")
                .coverage(c -> c.check(true).percentage(p -> p >= 2));
    }

    @Property(tries = 300)
    void aFailedReadOnlyMarksStaleAndRecoveryOnlyClearsIt(@ForAll("trees") DeviceTree a,
                                                          @ForAll("mutations") List<Mutation> before,
                                                          @ForAll("mutations") List<Mutation> meanwhile,
                                                          @ForAll("selectors") List<NamedMatcher> selectors) {
        DeviceTree good = RandomTrees.mutate(a, before);
        DeviceTree failed = Refresh.apply(good, ProbeOutcome.failure("generated failure"));
        List<ChangeEvent> marked = TreeDiff.diff(good, failed);
        assertThat(marked).hasSize((int) good.devices().stream().filter(d -> !d.stale()).count())
                .allSatisfy(e -> {
                    assertThat(e.kind()).isEqualTo(ChangeEvent.Kind.UPDATED);
                    assertThat(e.changes()).containsExactly(RefreshTest.MARKED);
                });
        for (NamedMatcher s : selectors) {
            // only a selector that reads the mark itself can see a device go
            if (!s.text().contains("stale")) {
                assertThat(SubscriberView.apply(s, marked)).as(s.text())
                        .noneMatch(e -> e.kind() == ChangeEvent.Kind.REMOVED);
            }
        }

        DeviceTree probed = RandomTrees.mutate(Refresh.apply(null, ProbeOutcome.success(good)), meanwhile);
        DeviceTree recovered = Refresh.apply(failed, ProbeOutcome.success(probed));
        assertThat(recovered.devices()).noneMatch(Device::stale);
        // recovery = every kept device's mark cleared + what really changed while the source failed
        List<ChangeEvent> real = TreeDiff.diff(Refresh.apply(null, ProbeOutcome.success(good)), recovered);
        List<ChangeEvent> cleared = TreeDiff.diff(failed, recovered);
        assertThat(names(cleared, ChangeEvent.Kind.ADDED)).isEqualTo(names(real, ChangeEvent.Kind.ADDED));
        assertThat(names(cleared, ChangeEvent.Kind.REMOVED)).isEqualTo(names(real, ChangeEvent.Kind.REMOVED));
        for (ChangeEvent e : cleared) {
            if (e.kind() != ChangeEvent.Kind.UPDATED) {
                continue;
            }
            assertThat(e.changes()).as(e.name()).contains(RefreshTest.CLEARED);
            List<FieldChange> rest = e.changes().stream().filter(c -> !c.field().equals("stale")).toList();
            List<FieldChange> really = real.stream().filter(r -> r.name().equals(e.name())).findFirst()
                    .map(ChangeEvent::changes).orElse(List.of());
            assertThat(rest).as(e.name()).isEqualTo(really);
        }
        assertThat(names(cleared, ChangeEvent.Kind.UPDATED)).as("every kept device is cleared")
                .isEqualTo(keptNames(failed, recovered));
    }

    static Set<String> names(List<ChangeEvent> events, ChangeEvent.Kind kind) {
        Set<String> out = new HashSet<>();
        events.stream().filter(e -> e.kind() == kind).forEach(e -> out.add(e.name()));
        return out;
    }

    static Set<String> keptNames(DeviceTree before, DeviceTree after) {
        Set<String> out = new HashSet<>();
        before.devices().forEach(d -> after.get(d.name()).ifPresent(x -> out.add(x.name())));
        return out;
    }

    static List<Device> reversed(List<Device> devices) {
        List<Device> out = new ArrayList<>(devices);
        java.util.Collections.reverse(out);
        return out;
    }
}
