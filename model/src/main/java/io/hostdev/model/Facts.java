package io.hostdev.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostdev.model.cap.Capability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fills a device's capabilities from another source's values where sysfs left them empty: the
 * rule by which D-Bus and OSHI facts merge (docs/sources.md). Fields are named by their selector
 * path ({@code storage.serial}, {@code pci.vendor.id}): the capability type, then the JSON keys
 * below it.
 */
public final class Facts {

    private Facts() {
    }

    /**
     * {@code device} with each value set where the device has that capability and the field is
     * absent; a value already there is kept (the source read first wins), a capability the device
     * lacks is not created, and a value that does not fit the field's type is skipped. The same
     * instance when nothing was filled. Sources are left as they are.
     */
    public static Device fill(Device device, Map<String, ?> fields) {
        if (fields.isEmpty() || device.capabilities().isEmpty()) {
            return device;
        }
        List<Capability> out = new ArrayList<>(device.capabilities().size());
        boolean changed = false;
        for (Capability c : device.capabilities()) {
            Capability filled = fill(c, fields);
            changed |= filled != c;
            out.add(filled);
        }
        return changed ? device.withCapabilities(out) : device;
    }

    private static Capability fill(Capability c, Map<String, ?> fields) {
        String prefix = c.type() + ".";
        Capability current = c;
        ObjectNode json = null;
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (!e.getKey().startsWith(prefix) || e.getValue() == null) {
                continue;
            }
            if (json == null) {
                json = ModelJson.tree(current);
            }
            String[] keys = e.getKey().substring(prefix.length()).split("\\.", -1);
            ObjectNode at = json;
            boolean absent = true;
            for (int i = 0; i < keys.length - 1 && absent; i++) {
                JsonNode next = at.get(keys[i]);
                if (next == null || next.isNull()) {
                    next = at.putObject(keys[i]);
                } else if (!next.isObject()) {
                    absent = false;
                    break;
                }
                at = (ObjectNode) next;
            }
            String leaf = keys[keys.length - 1];
            if (!absent || leaf.isEmpty() || at.hasNonNull(leaf)) {
                json = null;
                continue;
            }
            at.set(leaf, ModelJson.tree(e.getValue()));
            Capability candidate = ModelJson.capability(json, c.getClass());
            if (candidate != null && !candidate.equals(current)) {
                current = candidate;
            }
            json = null;
        }
        return current;
    }
}
