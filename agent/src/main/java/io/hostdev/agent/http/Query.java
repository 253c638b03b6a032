package io.hostdev.agent.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request's query parameters, each given at most once and each one the endpoint knows: a typo such
 * as {@code ?selectr=} is an error rather than a silently unfiltered answer. Decoding follows the
 * URL standard's {@code application/x-www-form-urlencoded} parser ({@code +} is a space,
 * {@code %XX} a byte, the bytes UTF-8), but strictly: a bad escape or invalid UTF-8 is an error.
 */
final class Query {

    private final Map<String, String> values;

    private Query(Map<String, String> values) {
        this.values = values;
    }

    /** A query that breaks the rules above; the message says which rule, for a 400. */
    static final class BadQuery extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadQuery(String message) {
            super(message);
        }
    }

    /**
     * Parses a raw (still encoded) query string, null for none.
     *
     * @throws BadQuery for an unknown or repeated parameter, or a bad encoding
     */
    static Query parse(String raw, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!known.contains(name)) {
                    throw new BadQuery("unknown parameter '" + printable(name) + "'"
                            + (known.isEmpty() ? "; this endpoint takes none"
                            : "; this endpoint takes " + String.join(", ", known.stream().sorted().toList())));
                }
                if (values.putIfAbsent(name, value) != null) {
                    throw new BadQuery("parameter '" + name + "' is given more than once");
                }
            }
        }
        return new Query(Collections.unmodifiableMap(values));
    }

    /** The parameter's value, or null when absent. */
    String get(String name) {
        return values.get(name);
    }

    Map<String, String> values() {
        return values;
    }

    /** Percent-decodes one name or value, {@code +} as a space, as strict UTF-8. */
    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new BadQuery("bad percent escape in the query at '" + printable(s.substring(i,
                            Math.min(s.length(), i + 3))) + "'");
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        return utf8(out.toByteArray());
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadQuery("the query is not UTF-8 once decoded");
        }
    }

    /** A name from the client, safe to echo in a message: control characters as '?', cut at 60. */
    static String printable(String s) {
        String p = s.codePoints().limit(60).map(cp -> Character.isISOControl(cp) ? '?' : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.codePointCount(0, s.length()) > 60 ? p + "..." : p;
    }

    /** Percent-decodes one path segment: unlike a query, {@code +} is itself. */
    static String decodeSegment(String s) {
        return decode(s.replace("+", "%2B"));
    }

    static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
