package io.hostdev.model.select;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.DeviceTree;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing the parser and the evaluator: random text, text from the selector's own alphabet, its tokens in random
 * order, grammar-aware random selectors (valid and nearly valid) and mutations of them. Nothing but {@link SelectorSyntaxException} may escape
 * {@link Selector#parse}, its column must lie within the expression, and whatever parses evaluates on any device
 * without throwing. 10,000 tries per property in the normal build; {@code mvn -B -Pfuzz -pl model -am test
 * -Dtest=SelectorFuzzTest -Dsurefire.failIfNoSpecifiedTests=false} runs each a million times (see {@link FuzzTries}).
 */
@AddLifecycleHook(FuzzTries.class)
class SelectorFuzzTest {

    static final DeviceTree HOST = SampleHost.tree();

    /** Per property: tries, selectors that parsed, syntax errors; printed at the end so a run reports its size. */
    static final java.util.Map<String, long[]> OUTCOMES = new java.util.concurrent.ConcurrentSkipListMap<>();

    @AfterContainer
    static void report() {
        OUTCOMES.forEach((name, n) -> System.out.printf(java.util.Locale.ROOT,
                "selector fuzz: %-70s %,10d tries: %,10d parsed, %,10d syntax errors%n", name, n[0], n[1], n[2]));
    }

    @Property(tries = 10_000)
    void anyTextParsesOrFailsWithAPositionedSyntaxError(@ForAll String text) {
        parseOrSyntaxError("anyText", text);
    }

    @Property(tries = 10_000)
    void textFromTheSelectorsAlphabetParsesOrFailsWithAPositionedSyntaxError(@ForAll("alphabetSoup") String text) {
        Selector s = parseOrSyntaxError("alphabetSoup", text);
        if (s != null) {
            evaluateEverywhere(s, null, null);
        }
    }

    @Property(tries = 10_000)
    void tokensInAnyOrderParseOrFailWithAPositionedSyntaxError(@ForAll("tokenSoup") String text) {
        Selector s = parseOrSyntaxError("tokenSoup", text);
        if (s != null) {
            evaluateEverywhere(s, null, null);
        }
    }

    @Property(tries = 10_000)
    void grammarAwareSelectorsParseOrFailCleanlyAndEvaluateWithoutThrowing(
            @ForAll("selectors") String text, @ForAll("devices") Device device, @ForAll("contexts") DeviceContext context) {
        Selector s = parseOrSyntaxError("grammarAware", text);
        if (s != null) {
            evaluateEverywhere(s, device, context);
        }
    }

    @Property(tries = 10_000)
    void mutatedSelectorsParseOrFailCleanly(@ForAll("mutants") String text) {
        Selector s = parseOrSyntaxError("mutants", text);
        if (s != null) {
            evaluateEverywhere(s, null, null);
        }
    }

    static Selector parseOrSyntaxError(String property, String text) {
        long[] n = OUTCOMES.computeIfAbsent(property, k -> new long[3]);
        n[0]++;
        try {
            Selector s = Selector.parse(text);
            n[1]++;
            return s;
        } catch (SelectorSyntaxException e) {
            n[2]++;
            assertThat(e.column()).isBetween(1, text.codePointCount(0, text.length()) + 1);
            assertThat(e.getMessage()).startsWith("at column " + e.column() + ": ");
            assertThat(e.reason()).isNotBlank();
            assertThat(e.pointer()).endsWith("^");
            return null;
        }
    }

    static void evaluateEverywhere(Selector s, Device device, DeviceContext context) {
        for (Device d : HOST.devices()) {
            s.matches(d, HOST.context(d.name()));
            s.matches(d, null);
        }
        if (device != null) {
            s.matches(device, context);
            s.matches(device, null);
        }
    }

    // ---- generators ----
    // Hand-written over java.util.Random (jqwik's randomValue): jqwik's combinators cost about a millisecond per
    // selector, which a million tries cannot afford. Each piece is valid most of the time and broken sometimes, so
    // runs reach deep into the parser and the evaluator as well as into every error path.

    /** Random devices are costly to build: a pool, built once, that tries pick from. */
    static final List<Device> DEVICE_POOL = RandomDevices.devices().sampleStream().limit(300).toList();
    static final List<DeviceContext> CONTEXT_POOL = RandomDevices.contexts().sampleStream().limit(100).toList();

    @Provide
    Arbitrary<String> alphabetSoup() {
        return Arbitraries.strings().withChars("abceinpstu._0x9 '\"()=!<>~&|,\\-:/").ofMaxLength(40);
    }

    /** The selector's tokens in random order and number: keywords, fields, operators, values, parentheses. */
    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.randomValue(r -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0, n = 1 + r.nextInt(12); i < n; i++) {
                String token = switch (r.nextInt(6)) {
                    case 0 -> FIELDS.get(r.nextInt(FIELDS.size()));
                    case 1 -> pick(r, OPS, BAD_OPS);
                    case 2 -> value(r);
                    case 3 -> pick(r, AND_OR, BAD_AND_OR).strip();
                    case 4 -> pick(r, new String[] {"(", ")", "not", "!", "in", "exists(", "under(", ","});
                    default -> pick(r, new String[] {"stale", "true", "exists", "under"});
                };
                sb.append(token).append(pick(r, SPACE));
            }
            return sb.toString();
        });
    }

    @Provide
    Arbitrary<Device> devices() {
        return Arbitraries.of(DEVICE_POOL);
    }

    @Provide
    Arbitrary<DeviceContext> contexts() {
        return Arbitraries.of(CONTEXT_POOL);
    }

    @Provide
    Arbitrary<String> selectors() {
        return Arbitraries.randomValue(r -> expression(r, 4));
    }

    @Provide
    Arbitrary<String> mutants() {
        return Arbitraries.randomValue(r -> {
            StringBuilder sb = new StringBuilder(expression(r, 3));
            String chars = "'\"()=!<>~&|, \\.a0x";
            for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                int at = r.nextInt(sb.length() + 1);
                char c = chars.charAt(r.nextInt(chars.length()));
                switch (r.nextInt(3)) {
                    case 0 -> sb.insert(at, c);
                    case 1 -> {
                        if (at < sb.length()) {
                            sb.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < sb.length()) {
                            sb.setCharAt(at, c);
                        }
                    }
                }
            }
            return sb.toString();
        });
    }

    static final List<String> FIELDS = Fields.all().stream().map(f -> f.path().replace(".*", ".power_state")).toList();
    static final String[] BAD_FIELDS = {"pci.vendr.id", "nme", "vendor.id", "generic.attributes.", "pci..id", "Name",
            "cap.x", "bus.pci", "0x8086", "'name'", ""};
    static final String[] OPS = {"=", "==", "!=", "<", "<=", ">", ">=", "=~", "!~"};
    static final String[] BAD_OPS = {"", "=<", "=>", "~", "!", "<>"};
    static final String[] VALUES = {"'pci'", "\"net\"", "'0x8086'", "0x8086", "0X10FB", "1500", "-1", "2.5", "6.1.0",
            "'6.1.0-18-amd64'", "true", "FALSE", "'true'", "eth0", "/dev/vda", "00:1f.2", "''", "\"\"", "'it\\'s'",
            "\"\\u0041\"", "99999999999999999999999", "0xffffffffffffffff", "net", "storage", "virtio", "disk",
            "'^eth\\d+'", "'(?i)PCI'", "'.*'", "'\\p{Lu}'", "'(?<x>a)\\k<x>'", "'(.*a){5}$'"};
    static final String[] BAD_VALUES = {"'\\u12'", "'unterminated", "0x", "1.", ".5", "nett", "and", "or", "not", "in",
            "'(eth'", "'[a-'", "'a{2,1}'", "'\\\\'", "'\\k<x>'", "'\\Q'", ")", "("};
    static final String[] AND_OR = {" and ", " AND ", " && ", "&&", ", ", ",", " or ", " Or ", " || ", "||"};
    static final String[] BAD_AND_OR = {" ", " & ", " | ", " andor "};
    static final String[] NOT = {"not ", "NOT ", "!", "! ", "!!"};
    static final String[] SPACE = {"", " ", "  ", "\t", "\n"};

    static String expression(java.util.Random r, int depth) {
        if (depth == 0) {
            return condition(r);
        }
        return switch (r.nextInt(5)) {
            case 0, 1 -> condition(r);
            case 2 -> expression(r, depth - 1) + pick(r, AND_OR, BAD_AND_OR) + expression(r, depth - 1);
            case 3 -> pick(r, NOT, new String[] {"not"}) + expression(r, depth - 1);
            default -> "(" + pick(r, SPACE) + expression(r, depth - 1) + pick(r, SPACE) + (r.nextInt(20) == 0 ? "" : ")");
        };
    }

    static String condition(java.util.Random r) {
        String field = r.nextInt(10) == 0 ? BAD_FIELDS[r.nextInt(BAD_FIELDS.length)] : FIELDS.get(r.nextInt(FIELDS.size()));
        return switch (r.nextInt(8)) {
            case 0 -> {
                StringBuilder sb = new StringBuilder(field).append(pick(r, new String[] {" in ", " not in ", " IN ",
                        " Not In "}, new String[] {" in", " not "})).append('(');
                for (int i = 0, n = r.nextInt(4); i < n; i++) {
                    sb.append(i == 0 ? "" : ", ").append(value(r));
                }
                yield sb.append(')').toString();
            }
            case 1 -> pick(r, new String[] {"exists", "EXISTS"}, new String[] {"exist"}) + "(" + field + ")";
            case 2 -> pick(r, new String[] {"under", "UNDER"}, new String[] {"below"}) + "(" + value(r) + ")";
            case 3 -> pick(r, new String[] {"stale", "pci.assignable", "storage.removable"},
                    new String[] {"name", "pci.sriov", "true"});
            default -> field + pick(r, SPACE) + pick(r, OPS, BAD_OPS) + pick(r, SPACE) + value(r);
        };
    }

    static String value(java.util.Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> Long.toString(r.nextLong() >> r.nextInt(64));
            case 1 -> Double.toString((r.nextDouble() - 0.5) * 2e6);
            case 2 -> {
                StringBuilder sb = new StringBuilder("'");
                for (int i = 0, n = r.nextInt(8); i < n; i++) {
                    char c = (char) (' ' + r.nextInt(95));
                    sb.append(c == '\'' || c == '\\' ? 'q' : c);
                }
                yield sb.append('\'').toString();
            }
            default -> pick(r, VALUES, BAD_VALUES);
        };
    }

    /** A good piece nine times in ten. */
    static String pick(java.util.Random r, String[] good, String[] bad) {
        return r.nextInt(10) == 0 ? bad[r.nextInt(bad.length)] : good[r.nextInt(good.length)];
    }

    static String pick(java.util.Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }
}
