package io.hostdev.agent.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The bearer token a client sends, from a file: either a file holding just the token, or the
 * agent's own token file ({@code SCOPE TOKEN} per line, {@code #} comments), from which the first
 * {@code read} token is taken (the least a reader needs), else the first token of any scope. The
 * token never appears in a message.
 */
public final class TokenFile {

    private TokenFile() {
    }

    /**
     * The token the file holds.
     *
     * @throws ClientException when the file cannot be read or holds no usable token
     */
    public static String read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ClientException("cannot read the token file " + file + ": " + reason(e));
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new ClientException("token file " + file + ": " + e.getMessage());
        }
    }

    /** The token in the file's text; the messages name lines, never the token. */
    static String parse(String text) {
        String first = null;
        int lineNo = 0;
        for (String raw : text.split("\r?\n|\r", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            String scope = null;
            String token;
            if (fields.length == 1) {
                token = fields[0];
            } else if (fields.length == 2 && isScope(fields[0])) {
                scope = fields[0].toLowerCase(Locale.ROOT);
                token = fields[1];
            } else {
                throw new IllegalArgumentException("line " + lineNo + " is neither a token nor 'SCOPE TOKEN'");
            }
            if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("the token on line " + lineNo
                        + " has characters an HTTP header cannot carry");
            }
            if ("read".equals(scope)) {
                return token;
            }
            if (first == null) {
                first = token;
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("no token in it");
        }
        return first;
    }

    private static boolean isScope(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.equals("read") || l.equals("admin");
    }

    private static String reason(Exception e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
