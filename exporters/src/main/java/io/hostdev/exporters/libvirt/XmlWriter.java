package io.hostdev.exporters.libvirt;

/**
 * A small XML writer that prints the way libvirt does, so the same model always gives the same
 * bytes: two spaces per level, attributes in single quotes in the order given, empty elements as
 * {@code <x/>} (also an element opened and closed with nothing written into it), one element per
 * line, {@code \n} line ends.
 *
 * <p>Attributes are passed as name/value pairs; a pair whose value is {@code null} is left out, as
 * is an element written with {@link #text} whose text is {@code null}, so optional values need no
 * {@code if} at the call site.
 *
 * <p>Whatever the model holds, the output is well-formed: {@code & < > ' "} are escaped, and
 * characters XML 1.0 cannot carry at all (C0 controls other than tab, line feed and carriage return;
 * unpaired surrogates; U+FFFE, U+FFFF) become U+FFFD. Tab, line feed and carriage return are written
 * as character references where a parser would otherwise change them (in attribute values, which
 * parsers normalize to spaces, and carriage returns in text, which parsers turn into line feeds).
 */
final class XmlWriter {

    private static final String INDENT = "  ";
    private static final char REPLACEMENT = '\uFFFD';

    private final StringBuilder out = new StringBuilder();
    private int depth;
    /** Where the content of the element opened last begins; -1 once something was written into it. */
    private int openedAt = -1;

    XmlWriter() {
        this(0);
    }

    /** A writer whose outermost elements are already {@code depth} levels deep (inside a wrapper). */
    XmlWriter(int depth) {
        this.depth = depth;
    }

    /** {@code <name attrs>} on its own line; the next elements are nested one level deeper. */
    XmlWriter open(String name, String... attributes) {
        indent();
        out.append('<').append(name);
        attributes(attributes);
        out.append(">\n");
        depth++;
        openedAt = out.length();
        return this;
    }

    /** {@code </name>}, or turns the element into {@code <name attrs/>} when nothing was written into it. */
    XmlWriter close(String name) {
        depth--;
        if (openedAt == out.length()) {
            out.setLength(out.length() - 2);
            out.append("/>\n");
        } else {
            indent();
            out.append("</").append(name).append(">\n");
        }
        openedAt = -1;
        return this;
    }

    /** {@code <name attrs/>}. */
    XmlWriter empty(String name, String... attributes) {
        indent();
        out.append('<').append(name);
        attributes(attributes);
        out.append("/>\n");
        return this;
    }

    /** {@code <name attrs>text</name>}, nothing when {@code text} is null. */
    XmlWriter text(String name, String text, String... attributes) {
        if (text == null) {
            return this;
        }
        indent();
        out.append('<').append(name);
        attributes(attributes);
        out.append('>');
        escape(text, false);
        out.append("</").append(name).append(">\n");
        return this;
    }

    /** {@code <name>value</name>} for a number, nothing when it is null. */
    XmlWriter text(String name, Number value) {
        return text(name, value == null ? null : value.toString());
    }

    /** {@code <name attrs>text</name>}, or {@code <name attrs/>} when {@code text} is null. */
    XmlWriter textOrEmpty(String name, String text, String... attributes) {
        return text == null ? empty(name, attributes) : text(name, text, attributes);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void indent() {
        openedAt = -1;
        out.append(INDENT.repeat(depth));
    }

    private void attributes(String[] pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs");
        }
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                continue;
            }
            out.append(' ').append(pairs[i]).append("='");
            escape(pairs[i + 1], true);
            out.append('\'');
        }
    }

    private void escape(String s, boolean attribute) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\'' -> out.append("&apos;");
                case '"' -> out.append("&quot;");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                case '\r' -> out.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                        out.append(REPLACEMENT);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
