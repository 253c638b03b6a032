package io.hostdev.model.change;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies change events to the state they were computed from: the inverse of {@link TreeDiff}.
 * {@code Patch.apply(a, TreeDiff.diff(a, b))} equals {@code b}.
 *
 * <p>Strict, like a careful subscriber: an addition of a device that is already there, a removal or
 * update whose {@code before} is not exactly the state held (device <em>and</em> context), or an
 * event whose name is not its device's name is a {@link ConflictException}, never silently
 * absorbed. That is what makes it usable for recovery: the agent rebuilds the tree a journal's head
 * reflects from an older snapshot plus the journaled events, and a conflict proves that the two do
 * not belong together (docs/agent.md, "Restart consistency").
 */
public final class Patch {

    private Patch() {
    }

    /**
     * The tree after the events.
     *
     * @throws ConflictException when an event does not fit the state it is applied to, or the
     *                           result is no tree (a device without its parent, no root)
     */
    public static DeviceTree apply(DeviceTree tree, List<ChangeEvent> events) {
        Objects.requireNonNull(tree, "tree");
        if (events.isEmpty()) {
            return tree;
        }
        Map<String, DeviceState> states = apply(index(SubscriberView.list(DeviceMatcher.ALL, tree)), events);
        List<Device> devices = new ArrayList<>(states.size());
        states.values().forEach(s -> devices.add(s.device()));
        DeviceTree out;
        try {
            out = DeviceTree.of(devices);
        } catch (IllegalArgumentException e) {
            throw new ConflictException("the events do not leave a tree: " + e.getMessage());
        }
        // the events carry each device's context; the tree they leave must agree with every one
        for (DeviceState s : states.values()) {
            DeviceContext c = out.context(s.device().name());
            if (!c.equals(s.context())) {
                throw new ConflictException("the context of " + s.device().name() + " in the events is " + s.context()
                        + ", its place in the resulting tree gives " + c);
            }
        }
        return out;
    }

    /** The states after the events, in the order first seen; {@code states} is not changed. */
    public static Map<String, DeviceState> apply(Map<String, DeviceState> states, List<ChangeEvent> events) {
        Map<String, DeviceState> out = new LinkedHashMap<>(states);
        for (ChangeEvent e : events) {
            step(out, e);
        }
        return out;
    }

    /**
     * Applies one event to {@code states} (device name → state), in place.
     *
     * @throws ConflictException when it does not fit; {@code states} is then unchanged
     */
    public static void step(Map<String, DeviceState> states, ChangeEvent e) {
        DeviceState held = states.get(e.name());
        switch (e.kind()) {
            case ADDED -> {
                requireName(e, e.after());
                if (held != null) {
                    throw new ConflictException("added " + e.name() + ", which is there already");
                }
                states.put(e.name(), e.after());
            }
            case REMOVED -> {
                requireName(e, e.before());
                requireHeld(e, held);
                states.remove(e.name());
            }
            case UPDATED -> {
                requireName(e, e.before());
                requireName(e, e.after());
                requireHeld(e, held);
                states.put(e.name(), e.after());
            }
        }
    }

    /** Device name → state, in the given order. */
    public static Map<String, DeviceState> index(List<DeviceState> states) {
        Map<String, DeviceState> out = new LinkedHashMap<>();
        for (DeviceState s : states) {
            if (out.put(s.device().name(), s) != null) {
                throw new IllegalArgumentException("two states of " + s.device().name());
            }
        }
        return out;
    }

    private static void requireName(ChangeEvent e, DeviceState s) {
        if (!e.name().equals(s.device().name())) {
            throw new ConflictException(e.kind().json() + " event " + e.name() + " carries device " + s.device().name());
        }
    }

    private static void requireHeld(ChangeEvent e, DeviceState held) {
        if (held == null) {
            throw new ConflictException(e.kind().json() + " " + e.name() + ", which is not there");
        }
        if (!held.equals(e.before())) {
            throw new ConflictException(e.kind().json() + " " + e.name() + ": its before state is not the one held");
        }
    }

    /** An event that does not fit the state it is applied to. */
    public static final class ConflictException extends IllegalStateException {

        public ConflictException(String message) {
            super(message);
        }
    }
}
