package io.hostdev.model.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The structural difference between two device trees, as change events.
 *
 * <p>Devices are matched by name: a name only in {@code before} is {@code removed}, only in
 * {@code after} is {@code added}, in both but different is {@code updated}. A device differs when
 * its record differs or when its context does (an ancestor, or a bus on its path), since
 * {@code under(...)} and {@code bus} selectors read the context. A renamed interface is a removal
 * and an addition.
 *
 * <p>Order (a subscriber applying the events one by one always holds a tree: every device's parent
 * is present, and there is no cycle):
 * <ol>
 *   <li>additions, in the new tree's pre-order — a new parent comes before its new children;</li>
 *   <li>updates, in the new tree's pre-order — a device moved under a new parent comes after that
 *       parent was added;</li>
 *   <li>removals, in reverse pre-order of the old tree (deepest first) — by then every surviving
 *       child of a removed device has been moved away by its update.</li>
 * </ol>
 *
 * <p>An update's {@link FieldChange}s are the device's JSON (as {@link ModelJson} writes it)
 * compared key by key: objects are descended into, anything else — strings, numbers, booleans,
 * and lists — is compared as a whole value, so a list that gained one element is one change whose
 * values are the whole old and new lists. A key present on one side only has {@code null} on the
 * other, except {@code stale}, which is a plain boolean and reads {@code false} when the JSON
 * leaves it out. The context follows as {@code context.ancestors} and {@code context.buses}.
 * Changes come in JSON order (keys of the old object, keys new in the new one where the writer
 * puts them). Records that differ only where their JSON does not (an empty string, which the JSON
 * leaves out like an absent value) give no event: the JSON is what every client sees.
 *
 * <p>Cost: linear in the number of devices. Records are compared with {@code equals} first; only
 * devices that differ are turned into JSON (not even those when only {@code stale} differs).
 * Contexts are computed only for the devices in events (and their ancestors), and compared only
 * where the parent's name, the device's own bus, or the parent's context changed. See
 * docs/changes.md for the figures.
 */
public final class TreeDiff {

    private static final JsonMapper JSON = ModelJson.configure(JsonMapper.builder()).build();

    private static final String STALE = "stale";
    private static final String CONTEXT = "context";

    private TreeDiff() {
    }

    /** The events that turn {@code before} into {@code after}, in the order described above. */
    public static List<ChangeEvent> diff(DeviceTree before, DeviceTree after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Contexts oldContexts = new Contexts(before);
        Contexts newContexts = new Contexts(after);
        List<ChangeEvent> added = new ArrayList<>();
        List<ChangeEvent> updated = new ArrayList<>();
        // devices of both trees whose context differs; filled in pre-order, so a parent is decided first
        Set<String> contextChanged = new HashSet<>();
        for (Device now : after.devices()) {
            Optional<Device> was = before.get(now.name());
            if (was.isEmpty()) {
                added.add(ChangeEvent.added(new DeviceState(now, newContexts.of(now))));
                continue;
            }
            Device old = was.get();
            boolean contextMayDiffer = !Objects.equals(old.parent(), now.parent())
                    || !Objects.equals(old.bus(), now.bus())
                    || (now.parent() != null && contextChanged.contains(now.parent()));
            boolean sameDevice = old.equals(now);
            if (sameDevice && !contextMayDiffer) {
                continue;
            }
            DeviceState from = new DeviceState(old, oldContexts.of(old));
            DeviceState to = new DeviceState(now, newContexts.of(now));
            boolean contextDiffers = contextMayDiffer && !from.context().equals(to.context());
            if (contextDiffers) {
                contextChanged.add(now.name());
            }
            if (sameDevice && !contextDiffers) {
                continue;
            }
            List<FieldChange> changes = changes(from, to, contextDiffers);
            // records can differ where the JSON cannot (an empty string is written as absent):
            // clients only ever see the JSON, so that is no change
            if (!changes.isEmpty()) {
                updated.add(ChangeEvent.updated(from, to, changes));
            }
        }
        List<ChangeEvent> events = new ArrayList<>(added.size() + updated.size());
        events.addAll(added);
        events.addAll(updated);
        List<Device> oldOrder = before.devices();
        for (int i = oldOrder.size() - 1; i >= 0; i--) {
            Device old = oldOrder.get(i);
            if (after.get(old.name()).isEmpty()) {
                events.add(ChangeEvent.removed(new DeviceState(old, oldContexts.of(old))));
            }
        }
        return events;
    }

    /** Every field that differs between two states of one device, then its context's. */
    static List<FieldChange> changes(DeviceState from, DeviceState to, boolean contextDiffers) {
        Device a = from.device();
        Device b = to.device();
        if (!contextDiffers && a.stale() != b.stale() && a.withStale(b.stale()).equals(b)) {
            // a failed read or a recovery changes every device this way: spare it the JSON
            return List.of(new FieldChange(STALE, BooleanNode.valueOf(a.stale()), BooleanNode.valueOf(b.stale())));
        }
        List<FieldChange> out = new ArrayList<>();
        if (!a.equals(b)) {
            diffDevice(json(a), json(b), out);
        }
        if (contextDiffers) {
            diffObjects(CONTEXT, json(from.context()), json(to.context()), out);
        }
        return out;
    }

    /**
     * The contexts of the devices a diff needs, computed on demand and shared down the tree: the
     * same values as {@link DeviceTree#context}, without computing them for the whole tree when 1%
     * of it changed.
     */
    private static final class Contexts {
        private final DeviceTree tree;
        private final Map<String, DeviceContext> known = new HashMap<>();

        Contexts(DeviceTree tree) {
            this.tree = tree;
        }

        DeviceContext of(Device device) {
            DeviceContext context = known.get(device.name());
            if (context != null) {
                return context;
            }
            Deque<Device> path = new ArrayDeque<>();
            Device top = device;
            while (top != null && !known.containsKey(top.name())) {
                path.push(top);
                top = top.parent() == null ? null : tree.get(top.parent()).orElseThrow();
            }
            Device parent = top;
            context = top == null ? null : known.get(top.name());
            while (!path.isEmpty()) {
                Device d = path.pop();
                context = parent == null ? root(d) : context.child(parent, d);
                known.put(d.name(), context);
                parent = d;
            }
            return context;
        }

        private static DeviceContext root(Device root) {
            TreeSet<String> buses = new TreeSet<>();
            if (root.bus() != null) {
                buses.add(root.bus());
            }
            return new DeviceContext(List.of(), buses);
        }
    }

    /**
     * The value as a reader of its JSON sees it. Printing and parsing (rather than
     * {@code valueToTree}) gives the node types a reader gets — a small {@code Long} reads back as an
     * int node — so events survive a round trip through JSON equal to themselves.
     */
    static JsonNode json(Object value) {
        try {
            return JSON.readTree(JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The device JSON's changes; {@code stale}, omitted by the writer when false, reads as false. */
    static void diffDevice(JsonNode before, JsonNode after, List<FieldChange> out) {
        int start = out.size();
        diffObjects("", before, after, out);
        for (int i = start; i < out.size(); i++) {
            FieldChange c = out.get(i);
            if (c.field().equals(STALE)) {
                out.set(i, new FieldChange(STALE, c.before() == null ? BooleanNode.FALSE : c.before(),
                        c.after() == null ? BooleanNode.FALSE : c.after()));
            }
        }
    }

    /**
     * Appends the changes between two JSON values at {@code path} ("" for the top). Two objects
     * are compared key by key, unless a key contains a dot (a raw attribute name, say): then a dotted
     * path would be ambiguous and the object is one value.
     */
    static void diffObjects(String path, JsonNode before, JsonNode after, List<FieldChange> out) {
        if (Objects.equals(before, after)) {
            return;
        }
        if (before == null || after == null || !before.isObject() || !after.isObject()
                || hasDottedKey(before) || hasDottedKey(after)) {
            // the nodes come from a tree parsed for this diff alone: nobody else holds them
            out.add(new FieldChange(path, before, after));
            return;
        }
        for (String key : mergedKeys(before, after)) {
            diffObjects(path.isEmpty() ? key : path + "." + key, before.get(key), after.get(key), out);
        }
    }

    /**
     * The keys of both objects in one order. Both sides were written from the same record or
     * sorted map, so their key orders are two subsequences of one order; merging them restores it.
     */
    static List<String> mergedKeys(JsonNode before, JsonNode after) {
        List<String> a = names(before);
        List<String> b = names(after);
        Set<String> inA = new HashSet<>(a);
        Set<String> inB = new HashSet<>(b);
        List<String> out = new ArrayList<>(Math.max(a.size(), b.size()) + 2);
        Set<String> seen = new HashSet<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            String next;
            if (i == a.size()) {
                next = b.get(j++);
            } else if (j == b.size()) {
                next = a.get(i++);
            } else if (a.get(i).equals(b.get(j))) {
                next = a.get(i++);
                j++;
            } else if (!inB.contains(a.get(i))) {
                next = a.get(i++);
            } else if (!inA.contains(b.get(j))) {
                next = b.get(j++);
            } else {
                // the two orders disagree (not the model's JSON): the old one wins
                next = a.get(i++);
            }
            if (seen.add(next)) {
                out.add(next);
            }
        }
        return out;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>(object.size());
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static boolean hasDottedKey(JsonNode object) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            if (it.next().indexOf('.') >= 0) {
                return true;
            }
        }
        return false;
    }
}
