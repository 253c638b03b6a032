package io.hostdev.tests.golden;

import java.util.ArrayList;
import java.util.List;

/**
 * A short, readable account of how two texts differ, line by line: the first few differing
 * regions with two lines of context and line numbers, like a unified diff. Meant for assertion
 * messages, where printing two 5,000-line strings helps nobody.
 */
public final class LineDiff {

    static final int CONTEXT = 2;
    static final int MAX_REGIONS = 3;
    static final int MAX_LINES_PER_SIDE = 15;
    /** Beyond this many lines between the common head and tail, lines are paired by position. */
    static final int MAX_ALIGNED = 3000;

    private LineDiff() {
    }

    /** {@code null} when the texts are equal, else the description. */
    public static String describe(String expected, String actual) {
        if (expected.equals(actual)) {
            return null;
        }
        List<String> a = lines(expected);
        List<String> b = lines(actual);
        List<Op> ops = diff(a, b);
        StringBuilder sb = new StringBuilder();
        sb.append("expected ").append(a.size()).append(" lines, got ").append(b.size()).append(" lines");
        if (a.equals(b)) {
            sb.append("; the texts differ only in their final newline");
            return sb.toString();
        }
        int regions = 0;
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i).kind == ' ') {
                i++;
                continue;
            }
            int end = i;
            while (end < ops.size() && (ops.get(end).kind != ' ' || nextChangeWithin(ops, end, 2 * CONTEXT))) {
                end++;
            }
            if (regions == MAX_REGIONS) {
                int more = 0;
                for (int k = i; k < ops.size(); k++) {
                    if (ops.get(k).kind != ' ' && (k == 0 || ops.get(k - 1).kind == ' ')) {
                        more++;
                    }
                }
                sb.append("\n... and ").append(more).append(" more differing region").append(more == 1 ? "" : "s");
                break;
            }
            regions++;
            int from = Math.max(0, i - CONTEXT);
            int to = Math.min(ops.size(), end + CONTEXT);
            Op first = ops.get(i);
            sb.append("\n@@ expected line ").append(first.a + 1).append(", actual line ").append(first.b + 1)
                    .append(" @@");
            int minus = 0;
            int plus = 0;
            for (int k = from; k < to; k++) {
                Op op = ops.get(k);
                if ((op.kind == '-' && ++minus > MAX_LINES_PER_SIDE) || (op.kind == '+' && ++plus > MAX_LINES_PER_SIDE)) {
                    continue;
                }
                String text = op.kind == '+' ? b.get(op.b) : a.get(op.a);
                sb.append('\n').append(op.kind).append(' ').append(abbreviate(text));
            }
            if (minus > MAX_LINES_PER_SIDE || plus > MAX_LINES_PER_SIDE) {
                sb.append("\n  (").append(Math.max(0, minus - MAX_LINES_PER_SIDE) + Math.max(0, plus - MAX_LINES_PER_SIDE))
                        .append(" more changed lines in this region)");
            }
            i = end;
        }
        return sb.toString();
    }

    private static boolean nextChangeWithin(List<Op> ops, int at, int distance) {
        for (int k = at; k < Math.min(ops.size(), at + distance + 1); k++) {
            if (ops.get(k).kind != ' ') {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "... (" + line.length() + " characters)";
    }

    private static List<String> lines(String s) {
        List<String> out = new ArrayList<>(List.of(s.split("\n", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** One line of the edit script: kept (' '), removed from expected ('-') or added in actual ('+'). */
    private record Op(char kind, int a, int b) {
    }

    private static List<Op> diff(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < head; i++) {
            ops.add(new Op(' ', i, i));
        }
        int n = a.size() - head - tail;
        int m = b.size() - head - tail;
        if (n <= MAX_ALIGNED && m <= MAX_ALIGNED) {
            int[][] lcs = new int[n + 1][m + 1];
            for (int i = n - 1; i >= 0; i--) {
                for (int j = m - 1; j >= 0; j--) {
                    lcs[i][j] = a.get(head + i).equals(b.get(head + j)) ? lcs[i + 1][j + 1] + 1
                            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
                }
            }
            int i = 0;
            int j = 0;
            while (i < n || j < m) {
                if (i < n && j < m && a.get(head + i).equals(b.get(head + j))) {
                    ops.add(new Op(' ', head + i++, head + j++));
                } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                    ops.add(new Op('-', head + i++, head + j));
                } else {
                    ops.add(new Op('+', head + i, head + j++));
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                ops.add(new Op('-', head + i, head));
            }
            for (int j = 0; j < m; j++) {
                ops.add(new Op('+', head + n, head + j));
            }
        }
        for (int t = 0; t < tail; t++) {
            ops.add(new Op(' ', a.size() - tail + t, b.size() - tail + t));
        }
        return ops;
    }
}
