package io.hostdev.model.select;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a selector into tokens: words (fields, keywords, bare values, numbers), quoted strings, operators,
 * {@code ,}, {@code (} and {@code )}. Keywords are words the parser recognises, so a word's meaning depends on
 * where it stands.
 */
final class Lexer {

    enum Kind { WORD, STRING, OP, AND, OR, NOT, COMMA, LPAREN, RPAREN, END }

    /**
     * @param raw    the text as written (a string with its quotes)
     * @param value  a string's content after escapes; an operator in its canonical form ({@code ==} is
     *               {@code =}); otherwise the raw text
     * @param offset where it starts in the expression
     */
    record Token(Kind kind, String raw, String value, int offset) {

        /** How an error message names it: {@code 'and'}, {@code 'pci'}, {@code "pci"}, {@code end of input}. */
        String describe() {
            if (kind == Kind.END) {
                return "end of input";
            }
            if (kind == Kind.STRING) {
                return raw.length() > 40 ? raw.substring(0, 37) + "..." : raw;
            }
            return "'" + (raw.length() > 40 ? raw.substring(0, 37) + "..." : raw) + "'";
        }
    }

    private final String s;
    private int pos;

    private Lexer(String s) {
        this.s = s;
    }

    static List<Token> tokens(String expression) {
        Lexer l = new Lexer(expression);
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = l.next();
            out.add(t);
        } while (t.kind() != Kind.END);
        return out;
    }

    /** Characters a bare word may hold: enough for fields, numbers, versions, PCI addresses, MACs and paths. */
    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == ':' || c == '/' || c == '-' || c == '+';
    }

    private Token next() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= s.length()) {
            return new Token(Kind.END, "", "", start);
        }
        char c = s.charAt(pos);
        switch (c) {
            case '(':
                pos++;
                return new Token(Kind.LPAREN, "(", "(", start);
            case ')':
                pos++;
                return new Token(Kind.RPAREN, ")", ")", start);
            case ',':
                pos++;
                return new Token(Kind.COMMA, ",", ",", start);
            case '\'':
            case '"':
                return string(c);
            case '&':
                return pair("&&", Kind.AND);
            case '|':
                return pair("||", Kind.OR);
            case '=':
                if (peek(1) == '=') {
                    pos += 2;
                    return new Token(Kind.OP, "==", "=", start);
                }
                if (peek(1) == '~') {
                    pos += 2;
                    return new Token(Kind.OP, "=~", "=~", start);
                }
                pos++;
                return new Token(Kind.OP, "=", "=", start);
            case '!':
                if (peek(1) == '=' || peek(1) == '~') {
                    String op = s.substring(pos, pos + 2);
                    pos += 2;
                    return new Token(Kind.OP, op, op, start);
                }
                pos++;
                return new Token(Kind.NOT, "!", "!", start);
            case '<':
            case '>':
                if (peek(1) == '=') {
                    String op = s.substring(pos, pos + 2);
                    pos += 2;
                    return new Token(Kind.OP, op, op, start);
                }
                pos++;
                return new Token(Kind.OP, String.valueOf(c), String.valueOf(c), start);
            default:
                break;
        }
        if (isWordChar(c)) {
            while (pos < s.length() && isWordChar(s.charAt(pos))) {
                pos++;
            }
            String w = s.substring(start, pos);
            return new Token(Kind.WORD, w, w, start);
        }
        int cp = s.codePointAt(pos);
        throw new SelectorSyntaxException(s, start, "unexpected character " + quoteChar(cp)
                + " (quote values that contain it)");
    }

    /** {@code &&} or {@code ||}; the single character is no operator. */
    private Token pair(String op, Kind kind) {
        int start = pos;
        if (peek(1) == op.charAt(1)) {
            pos += 2;
            return new Token(kind, op, op, start);
        }
        throw new SelectorSyntaxException(s, start, "expected '" + op + "', found '" + op.charAt(0) + "' alone");
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < s.length() ? s.charAt(i) : '\0';
    }

    /**
     * A quoted string. Escapes: {@code \\ \' \" \n \t \r \0 \}{@code uXXXX}; a backslash before any other
     * character stays, so regular expressions read as usual ({@code 'eth\d+'}).
     */
    private Token string(char quote) {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == quote) {
                pos++;
                return new Token(Kind.STRING, s.substring(start, pos), sb.toString(), start);
            }
            if (c == '\\' && pos + 1 < s.length()) {
                char e = s.charAt(pos + 1);
                switch (e) {
                    case '\\', '\'', '"' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '0' -> sb.append('\0');
                    case 'u' -> {
                        int v = pos + 6 <= s.length() ? hex4(pos + 2) : -1;
                        if (v < 0) {
                            throw new SelectorSyntaxException(s, pos, "expected four hex digits after '\\u'");
                        }
                        sb.append((char) v);
                        pos += 4;
                    }
                    default -> sb.append('\\').append(e);
                }
                pos += 2;
                continue;
            }
            sb.append(c);
            pos++;
        }
        throw new SelectorSyntaxException(s, s.length(), "expected " + quote + " to end the string that starts at column "
                + (s.codePointCount(0, start) + 1) + ", found end of input");
    }

    private int hex4(int at) {
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            char c = s.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    private static String quoteChar(int cp) {
        if (cp < 0x20 || cp == 0x7f || Character.isWhitespace(cp) || !Character.isDefined(cp)
                || Character.getType(cp) == Character.FORMAT) {
            return String.format("U+%04X", cp);
        }
        return "'" + new String(Character.toChars(cp)) + "'";
    }
}
