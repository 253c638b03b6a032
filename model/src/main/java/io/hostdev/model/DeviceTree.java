package io.hostdev.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable tree of devices rooted at {@code computer}. Iteration order is fixed: pre-order,
 * siblings in {@link NaturalOrder}, so the same devices always print the same way whatever order
 * they were found in.
 */
public final class DeviceTree {

    /** The root's name, as in libvirt. */
    public static final String ROOT = "computer";

    private final Map<String, Device> byName;
    private final Map<String, List<Device>> children;
    private final Map<String, List<String>> byAlias;
    private volatile Map<String, DeviceContext> contexts;

    private DeviceTree(Map<String, Device> byName, Map<String, List<Device>> children,
                       Map<String, List<String>> byAlias) {
        this.byName = byName;
        this.children = children;
        this.byAlias = byAlias;
    }

    /**
     * The device's ancestors and the buses on its path; {@code null} for an unknown name. Computed
     * for the whole tree on first use, in one pass from the root.
     */
    public DeviceContext context(String name) {
        Map<String, DeviceContext> c = contexts;
        if (c == null) {
            c = new HashMap<>();
            for (Device d : byName.values()) {
                // pre-order: a parent's context is always there before its children's
                if (d.isRoot()) {
                    TreeSet<String> buses = new TreeSet<>();
                    if (d.bus() != null) {
                        buses.add(d.bus());
                    }
                    c.put(d.name(), new DeviceContext(List.of(), buses));
                } else {
                    c.put(d.name(), c.get(d.parent()).child(byName.get(d.parent()), d));
                }
            }
            contexts = c;
        }
        return c.get(name);
    }

    /**
     * Builds a tree, checking that names are unique, that exactly one device has no parent, and
     * that every other device's parent is present (which, with a single root, rules out cycles
     * once every device is reachable).
     *
     * @throws IllegalArgumentException naming the first offending device
     */
    public static DeviceTree of(Collection<Device> devices) {
        Map<String, Device> index = new HashMap<>();
        Device root = null;
        for (Device d : devices) {
            if (index.putIfAbsent(d.name(), d) != null) {
                throw new IllegalArgumentException("duplicate device name: " + d.name());
            }
            if (d.isRoot()) {
                if (root != null) {
                    throw new IllegalArgumentException("two root devices: " + root.name() + " and " + d.name());
                }
                root = d;
            }
        }
        if (root == null) {
            throw new IllegalArgumentException(devices.isEmpty() ? "no devices" : "no root device");
        }
        Map<String, List<Device>> kids = new HashMap<>();
        for (Device d : devices) {
            if (d.isRoot()) {
                continue;
            }
            if (!index.containsKey(d.parent())) {
                throw new IllegalArgumentException("device " + d.name() + " has unknown parent " + d.parent());
            }
            kids.computeIfAbsent(d.parent(), k -> new ArrayList<>()).add(d);
        }
        for (List<Device> list : kids.values()) {
            list.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.name(), b.name()));
        }

        Map<String, Device> ordered = new LinkedHashMap<>();
        Deque<Device> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Device d = stack.pop();
            ordered.put(d.name(), d);
            List<Device> ks = kids.getOrDefault(d.name(), List.of());
            for (int i = ks.size() - 1; i >= 0; i--) {
                stack.push(ks.get(i));
            }
        }
        if (ordered.size() != index.size()) {
            List<String> unreachable = index.keySet().stream().filter(n -> !ordered.containsKey(n)).sorted().toList();
            throw new IllegalArgumentException("devices not reachable from " + root.name() + " (a parent cycle): "
                    + unreachable);
        }

        Map<String, List<Device>> frozenKids = new HashMap<>();
        kids.forEach((k, v) -> frozenKids.put(k, List.copyOf(v)));

        Map<String, TreeSet<String>> aliases = new HashMap<>();
        for (Device d : ordered.values()) {
            for (String a : d.aliases()) {
                aliases.computeIfAbsent(a, k -> new TreeSet<>(NaturalOrder.INSTANCE)).add(d.name());
            }
        }
        Map<String, List<String>> frozenAliases = new HashMap<>();
        aliases.forEach((k, v) -> frozenAliases.put(k, List.copyOf(v)));

        return new DeviceTree(Collections.unmodifiableMap(ordered), frozenKids, frozenAliases);
    }

    public Device root() {
        return byName.values().iterator().next();
    }

    /** Every device in pre-order. */
    public List<Device> devices() {
        return List.copyOf(byName.values());
    }

    public int size() {
        return byName.size();
    }

    public Optional<Device> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<Device> children(String name) {
        return children.getOrDefault(name, List.of());
    }

    /** The device and everything below it, pre-order; empty when there is no such device. */
    public List<Device> subtree(String name) {
        Device top = byName.get(name);
        if (top == null) {
            return List.of();
        }
        List<Device> out = new ArrayList<>();
        Deque<Device> stack = new ArrayDeque<>();
        stack.push(top);
        while (!stack.isEmpty()) {
            Device d = stack.pop();
            out.add(d);
            List<Device> ks = children(d.name());
            for (int i = ks.size() - 1; i >= 0; i--) {
                stack.push(ks.get(i));
            }
        }
        return out;
    }

    /** The device's ancestors, nearest first, ending with the root. */
    public List<Device> ancestors(String name) {
        List<Device> out = new ArrayList<>();
        Device d = byName.get(name);
        while (d != null && d.parent() != null) {
            d = byName.get(d.parent());
            out.add(d);
        }
        return out;
    }

    /** Number of devices per subsystem; the root, which has none, is not counted. */
    public Map<String, Integer> countBySubsystem() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Device d : byName.values()) {
            if (d.subsystem() != null) {
                counts.merge(d.subsystem(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /**
     * Finds a device by name or alias: exact name, then exact alias, then both again ignoring
     * case (MACs and PCI addresses are often typed in upper case).
     */
    public Lookup lookup(String key) {
        if (key == null || key.isEmpty()) {
            return new Lookup.NotFound(key == null ? "" : key, List.of());
        }
        Optional<Lookup> hit = exact(key);
        if (hit.isPresent()) {
            return hit.get();
        }
        String lower = key.toLowerCase(Locale.ROOT);
        List<String> names = byName.keySet().stream().filter(n -> n.toLowerCase(Locale.ROOT).equals(lower)).toList();
        if (names.size() == 1) {
            return new Lookup.Found(byName.get(names.get(0)));
        }
        TreeSet<String> viaAlias = new TreeSet<>(NaturalOrder.INSTANCE);
        byAlias.forEach((alias, owners) -> {
            if (alias.toLowerCase(Locale.ROOT).equals(lower)) {
                viaAlias.addAll(owners);
            }
        });
        if (viaAlias.size() == 1) {
            return new Lookup.Found(byName.get(viaAlias.first()));
        }
        if (viaAlias.size() > 1) {
            return new Lookup.Ambiguous(key, List.copyOf(viaAlias));
        }
        return new Lookup.NotFound(key, suggestions(lower));
    }

    private Optional<Lookup> exact(String key) {
        Device d = byName.get(key);
        if (d != null) {
            return Optional.of(new Lookup.Found(d));
        }
        List<String> owners = byAlias.get(key);
        if (owners == null) {
            return Optional.empty();
        }
        return Optional.of(owners.size() == 1
                ? new Lookup.Found(byName.get(owners.get(0)))
                : new Lookup.Ambiguous(key, owners));
    }

    private List<String> suggestions(String lower) {
        TreeMap<Integer, TreeSet<String>> byDistance = new TreeMap<>();
        List<String> keys = new ArrayList<>(byName.keySet());
        keys.addAll(byAlias.keySet());
        for (String candidate : keys) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int distance = c.contains(lower) && lower.length() >= 3 ? 0 : Suggestions.editDistance(lower, c, 3);
            if (distance <= 2) {
                byDistance.computeIfAbsent(distance, k -> new TreeSet<>(NaturalOrder.INSTANCE)).add(candidate);
            }
        }
        List<String> out = new ArrayList<>();
        for (TreeSet<String> set : byDistance.values()) {
            for (String s : set) {
                if (out.size() == 5) {
                    return out;
                }
                out.add(s);
            }
        }
        return out;
    }
}
