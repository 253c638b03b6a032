package io.hostdev.model.select;

/**
 * A selector that cannot be parsed: where (a 1-based column, counted in characters) and why, in words that say
 * what was expected and what was found ({@code at column 14: expected a condition after 'and', found end of
 * input}). The only exception {@link Selector#parse} throws.
 */
public final class SelectorSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String expression;
    private final int column;
    private final String reason;

    SelectorSyntaxException(String expression, int offset, String reason) {
        super("at column " + columnOf(expression, offset) + ": " + reason);
        this.expression = expression;
        this.column = columnOf(expression, offset);
        this.reason = reason;
    }

    private static int columnOf(String expression, int offset) {
        int end = Math.max(0, Math.min(offset, expression.length()));
        return expression.codePointCount(0, end) + 1;
    }

    /** The selector as given. */
    public String expression() {
        return expression;
    }

    /** 1-based column of the problem, in characters (code points); one past the end for "end of input". */
    public int column() {
        return column;
    }

    /** The message without its position. */
    public String reason() {
        return reason;
    }

    /**
     * Two lines: the expression and a caret under the column, for a terminal. Control characters (tabs, line
     * breaks) print as spaces so the caret stays under the right character.
     */
    public String pointer() {
        StringBuilder line = new StringBuilder();
        expression.codePoints().forEach(cp -> line.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return line + "\n" + " ".repeat(column - 1) + "^";
    }
}
