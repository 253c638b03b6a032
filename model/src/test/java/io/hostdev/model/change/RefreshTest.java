package io.hostdev.model.change;

import com.fasterxml.jackson.databind.node.BooleanNode;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.hostdev.model.change.TreeDiffTest.base;
import static io.hostdev.model.change.TreeDiffTest.minus;
import static io.hostdev.model.change.TreeDiffTest.nic;
import static io.hostdev.model.change.TreeDiffTest.replace;
import static io.hostdev.model.change.TreeDiffTest.summary;
import static io.hostdev.model.change.TreeDiffTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

class RefreshTest {

    static final FieldChange MARKED = new FieldChange("stale", BooleanNode.FALSE, BooleanNode.TRUE);
    static final FieldChange CLEARED = new FieldChange("stale", BooleanNode.TRUE, BooleanNode.FALSE);

    @Nested
    class AFailedRead {
        @Test
        void keepsEveryDeviceMarkedStale() {
            DeviceTree previous = tree(base());
            DeviceTree kept = Refresh.apply(previous, ProbeOutcome.failure("sys unreadable"));
            assertThat(kept.devices()).extracting(Device::name)
                    .containsExactlyElementsOf(previous.devices().stream().map(Device::name).toList());
            assertThat(kept.devices()).allMatch(Device::stale);
            assertThat(kept.devices()).extracting(d -> d.withStale(false)).isEqualTo(previous.devices());
        }

        @Test
        void givesOnlyStaleUpdatesAndNoRemovals() {
            DeviceTree previous = tree(base());
            List<ChangeEvent> events = TreeDiff.diff(previous, Refresh.apply(previous, ProbeOutcome.failure("EIO")));
            assertThat(events).hasSize(previous.size())
                    .allSatisfy(e -> {
                        assertThat(e.kind()).isEqualTo(ChangeEvent.Kind.UPDATED);
                        assertThat(e.changes()).containsExactly(MARKED);
                    });
        }

        @Test
        void twiceInARowChangesNothingMore() {
            DeviceTree once = Refresh.apply(tree(base()), ProbeOutcome.failure("EIO"));
            DeviceTree twice = Refresh.apply(once, ProbeOutcome.failure("EIO"));
            assertThat(twice).isSameAs(once);
            assertThat(TreeDiff.diff(once, twice)).isEmpty();
        }

        @Test
        void beforeAnyGoodReadLeavesNothingToPublish() {
            assertThat(Refresh.apply(null, ProbeOutcome.failure("EACCES"))).isNull();
        }
    }

    @Nested
    class Recovery {
        @Test
        void clearsTheMarksAndReportsWhatReallyChanged() {
            DeviceTree stale = Refresh.apply(tree(base()), ProbeOutcome.failure("EIO"));
            List<Device> now = replace(minus(base(), "tty0"), "net_eth0", d -> nic("eth0", "virtio0", 9000));
            List<ChangeEvent> events = TreeDiff.diff(stale, Refresh.apply(stale, ProbeOutcome.success(tree(now))));
            assertThat(summary(events)).containsExactly("updated computer", "updated pci_root", "updated virtio0",
                    "updated net_eth0", "removed tty0");
            assertThat(events.get(0).changes()).containsExactly(CLEARED);
            assertThat(events.get(3).changes()).extracting(FieldChange::field).containsExactly("stale", "net.mtu");
            assertThat(events.get(3).changes().get(0)).isEqualTo(CLEARED);
        }

        @Test
        void aSuccessNeverPublishesStaleDevices() {
            DeviceTree probed = tree(replace(base(), "tty0", d -> d.withStale(true)));
            assertThat(Refresh.apply(null, ProbeOutcome.success(probed)).devices()).noneMatch(Device::stale);
            DeviceTree clean = tree(base());
            assertThat(Refresh.apply(null, ProbeOutcome.success(clean))).isSameAs(clean);
        }
    }

    @Nested
    class PerSource {
        @Test
        void aFailingSourceMarksOnlyTheDevicesItOwns() {
            // e.g. a D-Bus bridge that owns the network interfaces fails; sysfs devices stay fresh
            DeviceTree previous = tree(base());
            DeviceTree marked = Refresh.markStale(previous, d -> "net".equals(d.subsystem()));
            assertThat(marked.devices()).filteredOn(Device::stale).extracting(Device::name)
                    .containsExactly("net_eth0");
            assertThat(summary(TreeDiff.diff(previous, marked))).containsExactly("updated net_eth0");
            assertThat(Refresh.markStale(previous, d -> false)).isSameAs(previous);
        }
    }
}
