package io.hostdev.model.change;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.DeviceTree;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.hostdev.model.change.TreeDiffTest.base;
import static io.hostdev.model.change.TreeDiffTest.dev;
import static io.hostdev.model.change.TreeDiffTest.minus;
import static io.hostdev.model.change.TreeDiffTest.nic;
import static io.hostdev.model.change.TreeDiffTest.plus;
import static io.hostdev.model.change.TreeDiffTest.replace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatchTest {

    static DeviceTree tree(List<Device> devices) {
        return DeviceTree.of(devices);
    }

    static DeviceState state(DeviceTree t, String name) {
        return new DeviceState(t.get(name).orElseThrow(), t.context(name));
    }

    @Nested
    class TheInverseOfTheDiff {

        @Test
        void addedSubtreeRemovedLeafAndUpdatedFieldComeBackAsTheNewTree() {
            DeviceTree a = tree(base());
            DeviceTree b = tree(plus(minus(replace(base(), "net_eth0", d -> nic("eth0", "virtio0", 9000)), "tty0"),
                    dev("usb1", "pci_root", "usb", "usb"), dev("usb1-1", "usb1", "usb", "usb")));

            assertThat(Patch.apply(a, TreeDiff.diff(a, b)).devices()).isEqualTo(b.devices());
        }

        @Test
        void aMoveUnderANewParentKeepsContextsRight() {
            DeviceTree a = tree(base());
            DeviceTree b = tree(replace(plus(base(), dev("usb1", "computer", "usb", "usb")), "net_eth0",
                    d -> d.withParent("usb1")));

            DeviceTree patched = Patch.apply(a, TreeDiff.diff(a, b));

            assertThat(patched.devices()).isEqualTo(b.devices());
            assertThat(patched.context("net_eth0").buses()).containsExactly("usb");
        }

        @Test
        void noEventsIsTheSameTree() {
            DeviceTree a = tree(base());
            assertThat(Patch.apply(a, List.of())).isSameAs(a);
        }

        @Test
        void aFailedReadAndItsRecoveryRoundTrip() {
            DeviceTree a = tree(base());
            DeviceTree stale = Refresh.apply(a, ProbeOutcome.failure("gone"));
            DeviceTree back = Refresh.apply(stale, ProbeOutcome.success(a));

            DeviceTree patched = Patch.apply(Patch.apply(a, TreeDiff.diff(a, stale)), TreeDiff.diff(stale, back));

            assertThat(patched.devices()).isEqualTo(a.devices());
        }
    }

    @Nested
    class Conflicts {

        @Test
        void anAdditionOfADeviceThatIsThereAlready() {
            DeviceTree a = tree(base());
            ChangeEvent again = ChangeEvent.added(state(a, "tty0"));

            assertThatThrownBy(() -> Patch.apply(a, List.of(again)))
                    .isInstanceOf(Patch.ConflictException.class).hasMessage("added tty0, which is there already");
        }

        @Test
        void aRemovalOfADeviceThatIsNotThere() {
            DeviceTree a = tree(base());
            DeviceTree b = tree(minus(base(), "tty0"));
            ChangeEvent removal = TreeDiff.diff(a, b).get(0);

            assertThatThrownBy(() -> Patch.apply(b, List.of(removal)))
                    .isInstanceOf(Patch.ConflictException.class).hasMessage("removed tty0, which is not there");
        }

        @Test
        void anUpdateWhoseBeforeIsNotWhatIsHeld() {
            DeviceTree a = tree(base());
            DeviceTree b = tree(replace(base(), "net_eth0", d -> nic("eth0", "virtio0", 9000)));
            DeviceTree c = tree(replace(base(), "net_eth0", d -> nic("eth0", "virtio0", 1400)));
            List<ChangeEvent> fromB = TreeDiff.diff(b, c);

            assertThatThrownBy(() -> Patch.apply(a, fromB))
                    .isInstanceOf(Patch.ConflictException.class)
                    .hasMessage("updated net_eth0: its before state is not the one held");
        }

        @Test
        void aBeforeStateWithAnotherContextIsNotTheOneHeld() {
            DeviceTree a = tree(base());
            DeviceState held = state(a, "tty0");
            DeviceState elsewhere = new DeviceState(held.device(),
                    new DeviceContext(List.of("pci_root", "computer"), new TreeSet<>(List.of("pci"))));

            assertThatThrownBy(() -> Patch.apply(a, List.of(ChangeEvent.removed(elsewhere))))
                    .isInstanceOf(Patch.ConflictException.class);
        }

        @Test
        void anEventWhoseNameIsNotItsDevice() {
            DeviceTree a = tree(base());
            ChangeEvent odd = new ChangeEvent(ChangeEvent.Kind.ADDED, "tty9", null, state(a, "tty0"), List.of());

            assertThatThrownBy(() -> Patch.apply(a, List.of(odd)))
                    .isInstanceOf(Patch.ConflictException.class).hasMessage("added event tty9 carries device tty0");
        }

        @Test
        void eventsThatLeaveAnOrphanAreNoTree() {
            DeviceTree a = tree(base());
            ChangeEvent parentGone = ChangeEvent.removed(state(a, "virtio0"));

            assertThatThrownBy(() -> Patch.apply(a, List.of(parentGone)))
                    .isInstanceOf(Patch.ConflictException.class)
                    .hasMessageStartingWith("the events do not leave a tree: device net_eth0 has unknown parent virtio0");
        }

        @Test
        void anAdditionWhoseContextDisagreesWithItsPlace() {
            DeviceTree a = tree(base());
            Device tty1 = dev("tty1", "computer", "tty", null);
            ChangeEvent wrong = ChangeEvent.added(new DeviceState(tty1,
                    new DeviceContext(List.of("computer"), new TreeSet<>(List.of("usb")))));

            assertThatThrownBy(() -> Patch.apply(a, List.of(wrong)))
                    .isInstanceOf(Patch.ConflictException.class).hasMessageStartingWith("the context of tty1");
        }

        @Test
        void aRefusedStepLeavesTheStatesAsTheyWere() {
            DeviceTree a = tree(base());
            Map<String, DeviceState> states = Patch.index(SubscriberView.list(io.hostdev.model.DeviceMatcher.ALL, a));
            Map<String, DeviceState> copy = Map.copyOf(states);

            assertThatThrownBy(() -> Patch.step(states, ChangeEvent.added(state(a, "tty0"))))
                    .isInstanceOf(Patch.ConflictException.class);
            assertThat(states).isEqualTo(copy);
        }
    }

    @Provide
    Arbitrary<DeviceTree> trees() {
        return RandomTrees.trees();
    }

    @Provide
    Arbitrary<List<RandomTrees.Mutation>> mutations() {
        return RandomTrees.mutations();
    }

    @Property(tries = 500)
    void patchingATreeWithItsDiffGivesTheNewTree(@ForAll("trees") DeviceTree a,
                                                 @ForAll("mutations") List<RandomTrees.Mutation> mutations) {
        DeviceTree b = RandomTrees.mutate(a, mutations);

        DeviceTree patched = Patch.apply(a, TreeDiff.diff(a, b));

        assertThat(patched.devices()).isEqualTo(b.devices());
    }

    @Property(tries = 200)
    void patchingTwiceWithTheSameEventsIsRefused(@ForAll("trees") DeviceTree a,
                                                 @ForAll("mutations") List<RandomTrees.Mutation> mutations) {
        DeviceTree b = RandomTrees.mutate(a, mutations);
        List<ChangeEvent> events = TreeDiff.diff(a, b);
        net.jqwik.api.Assume.that(!events.isEmpty());

        assertThatThrownBy(() -> Patch.apply(Patch.apply(a, events), events))
                .isInstanceOf(Patch.ConflictException.class);
    }
}
