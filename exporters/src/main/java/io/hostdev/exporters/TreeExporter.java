package io.hostdev.exporters;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;

import java.util.List;

/**
 * The tree view, drawn like {@code virsh nodedev-list --tree} (ASCII {@code +-} and {@code |}),
 * with a short description after each name and a summary footer.
 */
public final class TreeExporter {

    private TreeExporter() {
    }

    public static String render(DeviceTree tree, ListSummary summary) {
        StringBuilder sb = new StringBuilder();
        Device root = tree.root();
        line(sb, "", root);
        children(sb, tree, root, "  ");
        if (summary != null) {
            sb.append('\n').append(summary.oneLine()).append('\n');
        }
        return sb.toString();
    }

    private static void children(StringBuilder sb, DeviceTree tree, Device parent, String indent) {
        List<Device> kids = tree.children(parent.name());
        for (int i = 0; i < kids.size(); i++) {
            boolean last = i == kids.size() - 1;
            Device d = kids.get(i);
            line(sb, indent + "+- ", d);
            children(sb, tree, d, indent + (last ? "    " : "|   "));
        }
    }

    private static void line(StringBuilder sb, String prefix, Device d) {
        sb.append(prefix).append(d.name());
        String description = DeviceDescription.of(d);
        if (!description.isEmpty()) {
            sb.append("  ").append(description);
        }
        sb.append('\n');
    }
}
