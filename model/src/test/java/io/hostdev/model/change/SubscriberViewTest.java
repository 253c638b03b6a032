package io.hostdev.model.change;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.hostdev.model.change.TreeDiffTest.base;
import static io.hostdev.model.change.TreeDiffTest.dev;
import static io.hostdev.model.change.TreeDiffTest.nic;
import static io.hostdev.model.change.TreeDiffTest.replace;
import static io.hostdev.model.change.TreeDiffTest.summary;
import static io.hostdev.model.change.TreeDiffTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

class SubscriberViewTest {

    /** Matches devices whose MTU is 9000: lets one device start or stop matching by one field. */
    static final DeviceMatcher JUMBO = (d, c) -> d.capability(io.hostdev.model.cap.NetCapability.class)
            .map(n -> Integer.valueOf(9000).equals(n.mtu())).orElse(false);

    static ChangeEvent event(String kind, int mtuBefore, int mtuAfter) {
        DeviceState before = new DeviceState(nic("eth0", "virtio0", mtuBefore), tree(base()).context("virtio0")
                .child(dev("virtio0", "pci_root", "virtio", "virtio"), nic("eth0", "virtio0", mtuBefore)));
        DeviceState after = new DeviceState(nic("eth0", "virtio0", mtuAfter), before.context());
        return switch (kind) {
            case "added" -> ChangeEvent.added(after);
            case "removed" -> ChangeEvent.removed(before);
            default -> ChangeEvent.updated(before, after, TreeDiff.changes(before, after, false));
        };
    }

    @Nested
    class Rewriting {
        @ParameterizedTest(name = "{0} {1}→{2} is seen as {3}")
        @CsvSource({
                "added,   0,    9000, added",
                "added,   0,    1500, dropped",
                "removed, 9000, 0,    removed",
                "removed, 1500, 0,    dropped",
                "updated, 9000, 9000, updated",
                "updated, 1500, 9000, added",
                "updated, 9000, 1500, removed",
                "updated, 1500, 1400, dropped",
        })
        void eventsAreRewrittenToWhatTheSubscriberSees(String kind, int before, int after, String seen) {
            ChangeEvent e = event(kind, before, after);
            ChangeEvent v = SubscriberView.view(JUMBO, e);
            if (seen.equals("dropped")) {
                assertThat(v).isNull();
                return;
            }
            assertThat(v.kind().json()).isEqualTo(seen);
            switch (seen) {
                case "added" -> assertThat(v.after()).isEqualTo(e.after());
                case "removed" -> assertThat(v.before()).isEqualTo(e.before());
                default -> assertThat(v).isEqualTo(e);
            }
        }

        @Test
        void theMatcherSeesTheStatesContextNotJustTheDevice() {
            DeviceMatcher onUsb = (d, c) -> c.buses().contains("usb");
            List<Device> after = replace(base(), "pci_root", d -> dev("pci_root", "computer", "pci", "usb"));
            List<ChangeEvent> view = SubscriberView.apply(onUsb, TreeDiff.diff(tree(base()), tree(after)));
            // the interface did not change, but it now hangs off a USB bus
            assertThat(summary(view)).containsExactly("added pci_root", "added virtio0", "added net_eth0");
        }

        @Test
        void keepsTheOrderOfTheEvents() {
            DeviceTree a = tree(base());
            List<Device> b = replace(base(), "net_eth0", d -> nic("eth0", "virtio0", 9000));
            b = replace(b, "tty0", d -> d.withStale(true));
            List<ChangeEvent> all = TreeDiff.diff(a, tree(b));
            assertThat(SubscriberView.apply(DeviceMatcher.ALL, all)).isEqualTo(all);
            assertThat(summary(SubscriberView.apply(JUMBO, all))).containsExactly("added net_eth0");
        }
    }

    @Nested
    class Listing {
        @Test
        void listsMatchingDevicesWithTheirContextsInPreOrder() {
            DeviceMatcher onPci = (d, c) -> c.buses().contains("pci");
            DeviceTree t = tree(base());
            assertThat(SubscriberView.list(onPci, t)).extracting(s -> s.device().name())
                    .containsExactly("pci_root", "virtio0", "net_eth0");
            assertThat(SubscriberView.list(onPci, t).get(2).context()).isEqualTo(t.context("net_eth0"));
            assertThat(SubscriberView.list((d, c) -> false, t)).isEmpty();
        }
    }
}
