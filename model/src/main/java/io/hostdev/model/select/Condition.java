package io.hostdev.model.select;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed selector, ready to evaluate: every literal is parsed and every regex compiled, so evaluation only
 * walks fields and compares.
 */
abstract class Condition {

    abstract boolean test(Device device, DeviceContext context);

    static final class And extends Condition {
        private final Condition[] all;

        And(Condition[] all) {
            this.all = all;
        }

        @Override
        boolean test(Device device, DeviceContext context) {
            for (Condition c : all) {
                if (!c.test(device, context)) {
                    return false;
                }
            }
            return true;
        }
    }

    static final class Or extends Condition {
        private final Condition[] any;

        Or(Condition[] any) {
            this.any = any;
        }

        @Override
        boolean test(Device device, DeviceContext context) {
            for (Condition c : any) {
                if (c.test(device, context)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class Not extends Condition {
        private final Condition inner;

        Not(Condition inner) {
            this.inner = inner;
        }

        @Override
        boolean test(Device device, DeviceContext context) {
            return !inner.test(device, context);
        }
    }

    /** {@code exists(f)}: the field has at least one value. */
    static final class Exists extends Condition {
        private final Accessor field;

        Exists(Accessor field) {
            this.field = field;
        }

        @Override
        boolean test(Device device, DeviceContext context) {
            return field.any(device, context, v -> true);
        }
    }

    /** {@code under('NAME')}: the device is NAME or NAME is one of its ancestors. */
    static final class Under extends Condition {
        private final String name;

        Under(String name) {
            this.name = name;
        }

        @Override
        boolean test(Device device, DeviceContext context) {
            return device.name().equals(name) || context != null && context.ancestors().contains(name);
        }
    }

    /**
     * A comparison. Positive operators hold when some value passes; negative ones ({@code !=}, {@code not in},
     * {@code !~}) when the field has a value and none passes the positive test, so a missing field satisfies
     * neither kind.
     */
    static final class Compare extends Condition {
        private final Accessor field;
        private final Accessor.ValueTest test;
        private final boolean negated;

        Compare(Accessor field, Accessor.ValueTest test, boolean negated) {
            this.field = field;
            this.test = test;
            this.negated = negated;
        }

        @Override
        boolean test(Device device, DeviceContext context) {
            if (!negated) {
                return field.any(device, context, test);
            }
            return field.any(device, context, v -> true) && !field.any(device, context, test);
        }
    }

    // ---- value tests ----

    /** {@code =}: see docs/selectors.md for how text, numbers, versions and booleans meet. */
    static final class Equals implements Accessor.ValueTest {
        private final Literal literal;

        Equals(Literal literal) {
            this.literal = literal;
        }

        @Override
        public boolean test(Object value) {
            Literal l = literal;
            if (value instanceof String s) {
                if (s.equals(l.text())) {
                    return true;
                }
                if (l.kind() == Literal.Kind.NUMBER) {
                    Values.Num n = Values.parseNumber(s);
                    return n != null && n.compareTo(l.number()) == 0;
                }
                if (l.kind() == Literal.Kind.VERSION) {
                    long[] v = Values.parseVersion(s);
                    return v != null && Values.compareVersions(v, l.version()) == 0;
                }
                return false;
            }
            if (value instanceof Boolean b) {
                return l.bool() != null && b.booleanValue() == l.bool();
            }
            if (value instanceof Number) {
                Values.Num n = Values.number(value);
                return l.number() != null && n != null && n.compareTo(l.number()) == 0;
            }
            return false;
        }
    }

    /** {@code in (a, b, ...)}: equal to any. */
    static final class AnyOf implements Accessor.ValueTest {
        private final Equals[] options;

        AnyOf(Equals[] options) {
            this.options = options;
        }

        @Override
        public boolean test(Object value) {
            for (Equals e : options) {
                if (e.test(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code < <= > >=}: numbers when both sides are numbers, else versions when both are; nothing else. */
    static final class Order implements Accessor.ValueTest {
        private final Literal literal;
        private final String op;

        Order(String op, Literal literal) {
            this.op = op;
            this.literal = literal;
        }

        @Override
        public boolean test(Object value) {
            int c;
            Values.Num n = value instanceof Boolean ? null : Values.number(value);
            if (n != null && literal.number() != null) {
                c = n.compareTo(literal.number());
            } else if (value instanceof String s && literal.version() != null) {
                long[] v = Values.parseVersion(s);
                if (v == null) {
                    return false;
                }
                c = Values.compareVersions(v, literal.version());
            } else {
                return false;
            }
            return switch (op) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }
    }

    /**
     * {@code =~}: Java regex, found anywhere in the value's JSON text (anchor with {@code ^...$}). A match that
     * takes more than {@link #STEP_BUDGET} character reads on one value (catastrophic backtracking) is abandoned
     * and counts as {@code whenAbandoned}: no match for {@code =~}, a match for the test behind {@code !~}, so
     * that neither operator holds on a value it could not decide.
     */
    static final class Regex implements Accessor.ValueTest {
        static final int STEP_BUDGET = 1_000_000;

        private final Pattern pattern;
        private final boolean whenAbandoned;

        Regex(Pattern pattern, boolean whenAbandoned) {
            this.pattern = pattern;
            this.whenAbandoned = whenAbandoned;
        }

        @Override
        public boolean test(Object value) {
            String text = Values.text(value);
            if (text == null) {
                return false;
            }
            try {
                Matcher m = pattern.matcher(new BoundedText(text, new int[] {STEP_BUDGET}));
                return m.find();
            } catch (BoundedText.Exhausted e) {
                return whenAbandoned;
            }
        }
    }

    /** Text that stops a regex engine after a budget of character reads. */
    static final class BoundedText implements CharSequence {
        static final class Exhausted extends RuntimeException {
            private static final long serialVersionUID = 1L;
            static final Exhausted INSTANCE = new Exhausted();

            private Exhausted() {
                super("regex step budget exhausted", null, false, false);
            }
        }

        private final String text;
        private final int[] budget;

        BoundedText(String text, int[] budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw Exhausted.INSTANCE;
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BoundedText(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
