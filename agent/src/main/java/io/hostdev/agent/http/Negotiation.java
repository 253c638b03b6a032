package io.hostdev.agent.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Content negotiation on the {@code Accept} header (RFC 9110 section 12.5.1): each offered media
 * type gets the quality of the most specific range that matches it ({@code type/subtype} over
 * {@code type/*} over {@code *}{@code /*}); the highest quality above zero wins, and ties go to the
 * type offered first (the server's preference, JSON). Ranges that do not parse are ignored, as a
 * lenient server should; no header at all accepts anything.
 */
final class Negotiation {

    private Negotiation() {
    }

    record Range(String type, String subtype, double q) {

        /** 3 for an exact type, 2 for {@code type/*}, 1 for {@code *}{@code /*}; 0 when it does not match. */
        int specificity(String mediaType) {
            int slash = mediaType.indexOf('/');
            String t = mediaType.substring(0, slash);
            String s = mediaType.substring(slash + 1);
            if (type.equals("*")) {
                return subtype.equals("*") ? 1 : 0;
            }
            if (!type.equals(t)) {
                return 0;
            }
            if (subtype.equals("*")) {
                return 2;
            }
            return subtype.equals(s) ? 3 : 0;
        }
    }

    /** The offered type to answer with, or empty when the header rules out every one (406). */
    static Optional<String> choose(String accept, List<String> offered) {
        if (offered.isEmpty()) {
            return Optional.empty();
        }
        if (accept == null || accept.isBlank()) {
            return Optional.of(offered.get(0));
        }
        List<Range> ranges = parse(accept);
        if (ranges.isEmpty()) {
            return Optional.of(offered.get(0));
        }
        String best = null;
        double bestQ = 0;
        for (String type : offered) {
            int spec = 0;
            double q = 0;
            for (Range r : ranges) {
                int s = r.specificity(type);
                if (s > spec) {
                    spec = s;
                    q = r.q();
                }
            }
            if (q > bestQ) {
                best = type;
                bestQ = q;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The media ranges of an Accept header; ranges that do not parse are left out. */
    static List<Range> parse(String accept) {
        List<Range> out = new ArrayList<>();
        for (String part : accept.split(",")) {
            String[] params = part.split(";");
            String range = params[0].strip().toLowerCase(Locale.ROOT);
            int slash = range.indexOf('/');
            if (slash <= 0 || slash == range.length() - 1 || range.indexOf('/', slash + 1) >= 0) {
                continue;
            }
            String type = range.substring(0, slash);
            String subtype = range.substring(slash + 1);
            if (type.equals("*") && !subtype.equals("*")) {
                continue;
            }
            double q = 1;
            boolean valid = true;
            for (int i = 1; i < params.length; i++) {
                String p = params[i].strip();
                if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                    try {
                        q = Double.parseDouble(p.substring(2).strip());
                    } catch (NumberFormatException e) {
                        valid = false;
                    }
                    if (!(q >= 0 && q <= 1)) {
                        valid = false;
                    }
                }
            }
            if (valid) {
                out.add(new Range(type, subtype, q));
            }
        }
        return out;
    }
}
