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
        return render(tree, null, summary);
    }

    /**
     * Only the {@code matched} devices and, to place them, their ancestors; an ancestor that does
     * not match itself is shown in parentheses, without a description. {@code null} matches all.
     */
    public static String render(DeviceTree tree, java.util.Set<String> matched, ListSummary summary) {
        java.util.Set<String> shown = null;
        if (matched != null) {
            shown = new java.util.HashSet<>();
            for (String name : matched) {
                if (shown.add(name)) {
                    for (Device a : tree.ancestors(name)) {
                        if (!shown.add(a.name())) {
                            break;
                        }
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        if (shown == null || !shown.isEmpty()) {
            Device root = tree.root();
            line(sb, "", root, matched == null || matched.contains(root.name()));
            children(sb, tree, root, "  ", shown, matched);
            if (summary != null) {
                sb.append('\n');
            }
        }
        if (summary != null) {
            sb.append(summary.oneLine()).append('\n');
        }
        return sb.toString();
    }

    private static void children(StringBuilder sb, DeviceTree tree, Device parent, String indent,
                                 java.util.Set<String> shown, java.util.Set<String> matched) {
        List<Device> kids = tree.children(parent.name());
        if (shown != null) {
            kids = kids.stream().filter(d -> shown.contains(d.name())).toList();
        }
        for (int i = 0; i < kids.size(); i++) {
            boolean last = i == kids.size() - 1;
            Device d = kids.get(i);
            line(sb, indent + "+- ", d, matched == null || matched.contains(d.name()));
            children(sb, tree, d, indent + (last ? "    " : "|   "), shown, matched);
        }
    }

    private static void line(StringBuilder sb, String prefix, Device d, boolean matched) {
        if (!matched) {
            sb.append(prefix).append('(').append(d.name()).append(")\n");
            return;
        }
        sb.append(prefix).append(d.name());
        String description = DeviceDescription.of(d);
        if (!description.isEmpty()) {
            sb.append("  ").append(description);
        }
        sb.append('\n');
    }
}
