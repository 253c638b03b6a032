package io.hostdev.model.change;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a subscriber with a selector sees: its listing of a tree, and the change events rewritten
 * to that listing. The invariant, held by a property test: {@code list(s, a)} plus
 * {@code apply(s, diff(a, b))} gives {@code list(s, b)}, state for state.
 *
 * <p>The matcher is evaluated on each event's own states (device and context), never on a tree,
 * so events can be filtered long after their trees are gone (from a journal, say).
 */
public final class SubscriberView {

    private SubscriberView() {
    }

    /** The devices of {@code tree} that {@code matcher} accepts, with their contexts, in pre-order. */
    public static List<DeviceState> list(DeviceMatcher matcher, DeviceTree tree) {
        Objects.requireNonNull(matcher, "matcher");
        List<DeviceState> out = new ArrayList<>();
        for (Device d : tree.devices()) {
            DeviceState s = new DeviceState(d, tree.context(d.name()));
            if (matches(matcher, s)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The events as the subscriber sees them, in the same order: an update of a device that starts
     * matching becomes {@code added} (its new state), one that stops matching becomes
     * {@code removed} (its old state), an update matching on both sides is kept whole, and every
     * event that matches on neither side is dropped.
     */
    public static List<ChangeEvent> apply(DeviceMatcher matcher, List<ChangeEvent> events) {
        Objects.requireNonNull(matcher, "matcher");
        List<ChangeEvent> out = new ArrayList<>();
        for (ChangeEvent e : events) {
            ChangeEvent seen = view(matcher, e);
            if (seen != null) {
                out.add(seen);
            }
        }
        return out;
    }

    /** One event as the subscriber sees it, or {@code null} when it does not concern it. */
    public static ChangeEvent view(DeviceMatcher matcher, ChangeEvent event) {
        boolean was = event.before() != null && matches(matcher, event.before());
        boolean is = event.after() != null && matches(matcher, event.after());
        if (was && is) {
            return event;
        }
        if (is) {
            return event.kind() == ChangeEvent.Kind.ADDED ? event : ChangeEvent.added(event.after());
        }
        if (was) {
            return event.kind() == ChangeEvent.Kind.REMOVED ? event : ChangeEvent.removed(event.before());
        }
        return null;
    }

    private static boolean matches(DeviceMatcher matcher, DeviceState state) {
        return matcher.matches(state.device(), state.context());
    }
}
