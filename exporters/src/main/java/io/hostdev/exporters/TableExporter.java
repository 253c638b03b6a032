package io.hostdev.exporters;

import io.hostdev.model.Device;

import java.util.ArrayList;
import java.util.List;

/** One device per line: name, subsystem, parent and description, in tree order. */
public final class TableExporter {

    private TableExporter() {
    }

    public static String render(List<Device> devices, ListSummary summary) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "SUBSYSTEM", "PARENT", "DESCRIPTION"});
        for (Device d : devices) {
            rows.add(new String[] {d.name(), orDash(d.subsystem()), orDash(d.parent()), DeviceDescription.of(d)});
        }
        int[] width = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            }
            line.append(r[3]);
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        if (summary != null) {
            sb.append('\n').append(summary.oneLine()).append('\n');
        }
        return sb.toString();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
