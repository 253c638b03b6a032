package io.hostdev.model.select;

/**
 * A value written in a selector, parsed once.
 *
 * @param kind    how it was written
 * @param text    its text: a string's content, a word as written, {@code true}/{@code false} in lower case
 * @param number  its value as a number, when it reads as one (a number token, or a string or word such as
 *                {@code '1500'}); null otherwise
 * @param version its parts as a version ({@code 6.1.0}), when it reads as one; null otherwise
 * @param bool    true or false for the words {@code true}/{@code false} and the strings {@code 'true'}/{@code 'false'}
 * @param offset  where it starts in the expression
 */
record Literal(Kind kind, String text, Values.Num number, long[] version, Boolean bool, int offset) {

    enum Kind {
        /** Quoted: always text, whatever it looks like. */
        STRING,
        /** A bare word that is not a number, version or boolean: text. */
        WORD,
        /** {@code 1500}, {@code -1}, {@code 2.5}, {@code 0x8086}. */
        NUMBER,
        /** Two or more dots, {@code 6.1.0}: compared part by part. */
        VERSION,
        BOOLEAN
    }

    static Literal quoted(String text, int offset) {
        return new Literal(Kind.STRING, text, Values.parseNumber(text), Values.parseVersion(text), bool(text), offset);
    }

    /** A bare word in a value position: a boolean, a number, a version, or else text. */
    static Literal word(String word, int offset) {
        Boolean b = bool(word);
        if (b != null) {
            return new Literal(Kind.BOOLEAN, b.toString(), null, null, b, offset);
        }
        Values.Num n = Values.parseNumber(word);
        long[] v = Values.parseVersion(word);
        if (n != null) {
            return new Literal(Kind.NUMBER, word, n, v, null, offset);
        }
        if (v != null && word.indexOf('.') >= 0 && word.indexOf('.') != word.lastIndexOf('.')) {
            return new Literal(Kind.VERSION, word, null, v, null, offset);
        }
        return new Literal(Kind.WORD, word, null, v, null, offset);
    }

    private static Boolean bool(String text) {
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        return null;
    }
}
