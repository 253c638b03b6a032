package io.hostdev.model.select;

import io.hostdev.model.Suggestions;
import io.hostdev.model.cap.Capability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive descent over the tokens, checking as it goes everything that can be known without a device: that
 * fields exist, that a value suits its field and operator, that regexes compile. Grammar (keywords in any case):
 *
 * <pre>
 * selector   = or END
 * or         = and { ("or" | "||") and }
 * and        = unary { ("and" | "&amp;&amp;" | ",") unary }
 * unary      = ("not" | "!") unary | primary
 * primary    = "(" or ")" | "exists" "(" FIELD ")" | "under" "(" value ")" | comparison
 * comparison = FIELD [ OP value | ("=~" | "!~") value | ["not"] "in" "(" value { "," value } ")" ]
 * value      = STRING | WORD
 * </pre>
 */
final class Parser {

    /** Longest selector accepted; far beyond any real one, it bounds the work an untrusted selector causes. */
    static final int MAX_LENGTH = 16_384;
    /** Deepest nesting of parentheses and negations; it bounds recursion in parsing and evaluation. */
    static final int MAX_DEPTH = 100;
    /** Longest regular expression accepted; it bounds Pattern.compile's recursion. */
    static final int MAX_REGEX_LENGTH = 1_000;

    private static final String CONDITION = "a condition";
    private static final String OPERATORS = "an operator (=, ==, !=, <, <=, >, >=, =~, !~, in, not in)";

    private final String expression;
    private final List<Lexer.Token> tokens;
    private int pos;
    private int depth;

    private Parser(String expression, List<Lexer.Token> tokens) {
        this.expression = expression;
        this.tokens = tokens;
    }

    static Condition parse(String expression) {
        if (expression == null) {
            throw new SelectorSyntaxException("", 0, "expected " + CONDITION + ", found no selector");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new SelectorSyntaxException(expression, MAX_LENGTH, "a selector has at most " + MAX_LENGTH
                    + " characters, this one has " + expression.length());
        }
        Parser p = new Parser(expression, Lexer.tokens(expression));
        Condition c = p.or();
        Lexer.Token t = p.peek();
        if (t.kind() != Lexer.Kind.END) {
            SelectorSyntaxException e = p.error(t, "'and', 'or' or end of input");
            throw t.kind() == Lexer.Kind.RPAREN
                    ? new SelectorSyntaxException(expression, t.offset(), e.reason() + ", which closes nothing") : e;
        }
        return c;
    }

    // ---- grammar ----

    private Condition or() {
        List<Condition> parts = new ArrayList<>();
        parts.add(and());
        while (isOr(peek())) {
            pos++;
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new Condition.Or(parts.toArray(Condition[]::new));
    }

    private Condition and() {
        List<Condition> parts = new ArrayList<>();
        parts.add(unary());
        while (isAnd(peek())) {
            pos++;
            parts.add(unary());
        }
        return parts.size() == 1 ? parts.get(0) : new Condition.And(parts.toArray(Condition[]::new));
    }

    private Condition unary() {
        Lexer.Token t = peek();
        if (t.kind() == Lexer.Kind.NOT || isKeyword(t, "not")) {
            pos++;
            enter(t);
            Condition inner = unary();
            depth--;
            return new Condition.Not(inner);
        }
        return primary();
    }

    private Condition primary() {
        Lexer.Token t = peek();
        if (t.kind() == Lexer.Kind.LPAREN) {
            pos++;
            enter(t);
            Condition inner = or();
            Lexer.Token close = peek();
            if (close.kind() != Lexer.Kind.RPAREN) {
                throw error(close, "')' to close the '(' at column " + column(t));
            }
            pos++;
            depth--;
            return inner;
        }
        if (t.kind() == Lexer.Kind.WORD) {
            String w = t.value().toLowerCase(Locale.ROOT);
            if (w.equals("exists") && peek(1).kind() == Lexer.Kind.LPAREN) {
                pos += 2;
                Lexer.Token f = peek();
                if (f.kind() != Lexer.Kind.WORD) {
                    throw error(f, "a field");
                }
                pos++;
                Fields.Field field = field(f);
                expectClose("exists(" + f.raw());
                return new Condition.Exists(Fields.accessor(field.path()));
            }
            if (w.equals("under") && peek(1).kind() == Lexer.Kind.LPAREN) {
                pos += 2;
                Literal name = value();
                expectClose("under(" + name.text());
                return new Condition.Under(name.text());
            }
            if (w.equals("exists") || w.equals("under")) {
                pos++;
                throw error(peek(), "'('");
            }
            if (isKeyword(t, "and") || isKeyword(t, "or") || isKeyword(t, "in")) {
                throw error(t, CONDITION);
            }
            if (isPath(t.value())) {
                pos++;
                return comparison(t, field(t));
            }
        }
        throw error(t, CONDITION);
    }

    private Condition comparison(Lexer.Token fieldToken, Fields.Field field) {
        Accessor accessor = Fields.accessor(field.path());
        Lexer.Token t = peek();
        if (t.kind() == Lexer.Kind.OP) {
            pos++;
            String op = t.value();
            notObject(fieldToken, field, op);
            Literal value = value();
            switch (op) {
                case "=~", "!~" -> {
                    Pattern p = regex(value);
                    boolean negated = op.equals("!~");
                    return new Condition.Compare(accessor, new Condition.Regex(p, negated), negated);
                }
                case "=", "!=" -> {
                    checkEquality(field, value);
                    return new Condition.Compare(accessor, new Condition.Equals(value), op.equals("!="));
                }
                default -> {
                    checkOrder(field, op, value);
                    return new Condition.Compare(accessor, new Condition.Order(op, value), false);
                }
            }
        }
        boolean notIn = isKeyword(t, "not") && isKeyword(peek(1), "in");
        if (isKeyword(t, "in") || notIn) {
            pos += notIn ? 2 : 1;
            notObject(fieldToken, field, notIn ? "not in" : "in");
            Lexer.Token open = peek();
            if (open.kind() != Lexer.Kind.LPAREN) {
                throw error(open, "'(' to start the list");
            }
            pos++;
            List<Condition.Equals> options = new ArrayList<>();
            while (true) {
                Literal v = value();
                checkEquality(field, v);
                options.add(new Condition.Equals(v));
                Lexer.Token sep = peek();
                if (sep.kind() == Lexer.Kind.RPAREN) {
                    pos++;
                    break;
                }
                if (sep.kind() != Lexer.Kind.COMMA) {
                    throw error(sep, "',' or ')'");
                }
                pos++;
            }
            return new Condition.Compare(accessor, new Condition.AnyOf(options.toArray(Condition.Equals[]::new)),
                    notIn);
        }
        if (isKeyword(t, "not")) {
            pos++;
            throw error(peek(), "'in'");
        }
        if (field.type() == Fields.Type.BOOLEAN) {
            return new Condition.Compare(accessor, new Condition.Equals(Literal.word("true", fieldToken.offset())),
                    false);
        }
        SelectorSyntaxException e = error(t, OPERATORS, "'" + fieldToken.raw() + "'");
        if (isEnd(t) || isAnd(t) || isOr(t) || t.kind() == Lexer.Kind.RPAREN) {
            // the field stood alone: say why that is not enough
            e = new SelectorSyntaxException(expression, t.offset(), e.reason() + "; only a boolean field stands alone,"
                    + " and " + field.path() + " is " + article(field.type()));
        }
        throw e;
    }

    private Literal value() {
        Lexer.Token t = peek();
        if (t.kind() == Lexer.Kind.STRING) {
            pos++;
            return Literal.quoted(t.value(), t.offset());
        }
        if (t.kind() == Lexer.Kind.WORD && !isKeyword(t, "and") && !isKeyword(t, "or") && !isKeyword(t, "not")
                && !isKeyword(t, "in")) {
            pos++;
            return Literal.word(t.value(), t.offset());
        }
        throw error(t, "a value");
    }

    private void expectClose(String what) {
        Lexer.Token t = peek();
        if (t.kind() != Lexer.Kind.RPAREN) {
            throw error(t, "')'", "'" + what + "'");
        }
        pos++;
    }

    // ---- checks ----

    private Fields.Field field(Lexer.Token t) {
        String path = t.value();
        Fields.Field f = isPath(path) ? Fields.lookup(path).orElse(null) : null;
        if (f != null) {
            return f;
        }
        if (!isPath(path)) {
            throw error(t, "a field");
        }
        List<String> close = Fields.suggestions(path);
        throw new SelectorSyntaxException(expression, t.offset(), "unknown field '" + path + "'"
                + (close.isEmpty() ? "" : "; did you mean " + orList(close) + "?"));
    }

    private void notObject(Lexer.Token fieldToken, Fields.Field field, String op) {
        if (field.type() != Fields.Type.OBJECT) {
            return;
        }
        List<String> inner = new ArrayList<>();
        for (Fields.Field f : Fields.all()) {
            if (f.path().startsWith(field.path() + ".") && f.type() != Fields.Type.OBJECT && inner.size() < 3) {
                inner.add(f.path());
            }
        }
        throw new SelectorSyntaxException(expression, fieldToken.offset(), field.path() + " is an object, so '" + op
                + "' does not apply; use exists(" + field.path() + ") or compare one of its fields"
                + (inner.isEmpty() ? "" : " (" + String.join(", ", inner) + ", ...)"));
    }

    private void checkEquality(Fields.Field field, Literal v) {
        switch (field.type()) {
            case INTEGER, NUMBER -> {
                if (v.number() == null) {
                    throw mismatch(v, "a number (" + field.path() + " is a number)");
                }
            }
            case BOOLEAN -> {
                if (v.bool() == null) {
                    throw mismatch(v, "true or false (" + field.path() + " is a boolean)");
                }
            }
            default -> {
                // capability types are a closed set, unlike buses: a typo here would silently match nothing
                if ((field.path().equals("cap") || field.path().equals("caps"))
                        && !Capability.TYPES.containsKey(v.text())) {
                    TreeSet<String> types = new TreeSet<>(Capability.TYPES.keySet());
                    List<String> close = new ArrayList<>();
                    for (String type : types) {
                        if (Suggestions.editDistance(v.text(), type, 3) <= 2) {
                            close.add(type);
                        }
                    }
                    throw new SelectorSyntaxException(expression, v.offset(), "unknown capability type '" + v.text()
                            + "'; " + (close.isEmpty() ? "the types are " + String.join(", ", types)
                            : "did you mean " + orList(close) + "?"));
                }
            }
        }
    }

    private void checkOrder(Fields.Field field, String op, Literal v) {
        if (field.type() == Fields.Type.BOOLEAN) {
            throw mismatch(v, "no ordering: " + field.path() + " is a boolean, and '" + op + "' compares numbers"
                    + " and versions");
        }
        if (field.type() == Fields.Type.INTEGER || field.type() == Fields.Type.NUMBER) {
            if (v.number() == null) {
                throw mismatch(v, "a number after '" + op + "' (" + field.path() + " is a number)");
            }
            return;
        }
        if (v.number() == null && v.version() == null) {
            throw mismatch(v, "a number or a version after '" + op + "'");
        }
    }

    private Pattern regex(Literal v) {
        if (v.text().length() > MAX_REGEX_LENGTH) {
            throw new SelectorSyntaxException(expression, v.offset(), "a regular expression has at most "
                    + MAX_REGEX_LENGTH + " characters");
        }
        try {
            return Pattern.compile(v.text());
        } catch (PatternSyntaxException e) {
            throw new SelectorSyntaxException(expression, v.offset(), "invalid regular expression: "
                    + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() + " of the pattern" : ""));
        } catch (IllegalArgumentException | StackOverflowError e) {
            // the JDK's compiler recurses per nesting level and rejects some constructs with other exceptions
            throw new SelectorSyntaxException(expression, v.offset(), "invalid regular expression");
        }
    }

    private SelectorSyntaxException mismatch(Literal v, String expected) {
        String found = v.kind() == Literal.Kind.STRING ? "'" + v.text() + "'" : v.text();
        return new SelectorSyntaxException(expression, v.offset(), "expected " + expected + ", found " + found);
    }

    // ---- helpers ----

    private void enter(Lexer.Token t) {
        if (++depth > MAX_DEPTH) {
            throw new SelectorSyntaxException(expression, t.offset(), "nesting deeper than " + MAX_DEPTH
                    + " levels of parentheses and negations");
        }
    }

    private SelectorSyntaxException error(Lexer.Token found, String expected) {
        return error(found, expected, pos == 0 ? null : tokens.get(pos - 1).describe());
    }

    private SelectorSyntaxException error(Lexer.Token found, String expected, String after) {
        return new SelectorSyntaxException(expression, found.offset(), "expected " + expected
                + (after == null ? "" : " after " + after) + ", found " + found.describe());
    }

    private int column(Lexer.Token t) {
        return expression.codePointCount(0, t.offset()) + 1;
    }

    private Lexer.Token peek() {
        return tokens.get(pos);
    }

    private Lexer.Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private static boolean isKeyword(Lexer.Token t, String keyword) {
        return t.kind() == Lexer.Kind.WORD && t.value().equalsIgnoreCase(keyword);
    }

    private static boolean isAnd(Lexer.Token t) {
        return t.kind() == Lexer.Kind.AND || t.kind() == Lexer.Kind.COMMA || isKeyword(t, "and");
    }

    private static boolean isOr(Lexer.Token t) {
        return t.kind() == Lexer.Kind.OR || isKeyword(t, "or");
    }

    private static boolean isEnd(Lexer.Token t) {
        return t.kind() == Lexer.Kind.END;
    }

    /** A dotted path of identifiers; the last part of a generic attribute may hold any word character. */
    static boolean isPath(String w) {
        char first = w.isEmpty() ? '0' : w.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_')) {
            return false;
        }
        String attrs = Fields.ATTRIBUTES + ".";
        if (w.startsWith(attrs)) {
            return w.length() > attrs.length();
        }
        boolean dot = true;
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c == '.') {
                if (dot) {
                    return false;
                }
                dot = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!dot && c >= '0' && c <= '9')) {
                dot = false;
            } else {
                return false;
            }
        }
        return !dot;
    }

    private static String article(Fields.Type type) {
        return switch (type) {
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
        };
    }

    private static String orList(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.get(items.size() - 1);
    }
}
