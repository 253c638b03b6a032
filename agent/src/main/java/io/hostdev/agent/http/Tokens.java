package io.hostdev.agent.http;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The bearer tokens the API accepts, each with its {@link Scope}, read from a token file
 * (docs/security.md): one {@code SCOPE TOKEN} per line, {@code #} starts a comment line, blank lines
 * are ignored.
 *
 * <p>Only SHA-256 digests of the tokens are kept. A presented token is digested and compared with
 * every stored digest by {@link MessageDigest#isEqual} (constant time for equal lengths, and digests
 * are all 32 bytes), without stopping at a match, so the time taken says nothing about which token
 * matched or how much of one did. No message this class writes or throws contains a token: errors
 * name line numbers.
 */
public final class Tokens {

    private static final Logger LOG = Logger.getLogger("io.hostdev.http");

    /** RFC 6750's b64token: what may follow {@code Bearer } in the header. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    /** Shorter tokens are guessable; {@code openssl rand -base64 32} gives 44 characters. */
    static final int MIN_LENGTH = 16;
    /** A file of tokens has no reason to be large; a bigger one is a wrong path. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private final List<Entry> entries;

    private Tokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    private record Entry(byte[] digest, Scope scope) {
    }

    /**
     * Reads a token file, warning (without its contents) when group or others may read it.
     *
     * @throws HttpSetupException when it cannot be read or a line is not {@code SCOPE TOKEN}
     */
    public static Tokens load(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new HttpSetupException("token file " + file + " is " + size + " bytes; a token file is at most "
                        + MAX_FILE_BYTES);
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new HttpSetupException("cannot read the token file " + file + ": " + e.getClass().getSimpleName(), e);
        }
        warnIfShared(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new HttpSetupException("token file " + file + " is not UTF-8 text");
        }
        Parsed parsed = parse(text);
        if (!parsed.errors().isEmpty()) {
            throw new HttpSetupException("token file " + file + ": " + String.join("; ", parsed.errors()));
        }
        Tokens tokens = of(parsed.tokens());
        LOG.info(() -> "HTTP API: " + tokens.count(Scope.READ) + " read and " + tokens.count(Scope.ADMIN)
                + " admin tokens from " + file);
        return tokens;
    }

    /** Tokens given directly (tests, embedding), token to scope. */
    public static Tokens of(Map<String, Scope> tokens) {
        List<Entry> entries = new ArrayList<>();
        tokens.forEach((token, scope) -> entries.add(new Entry(digest(token), scope)));
        return new Tokens(entries);
    }

    /** The result of parsing a token file: the tokens, or why lines are wrong (by number, never by content). */
    record Parsed(Map<String, Scope> tokens, List<String> errors) {
    }

    /**
     * Parses a token file's text. A line is blank, a comment ({@code #} first, after blanks), or a
     * scope and a token separated by blanks; the token must be an RFC 6750 b64token of at least
     * {@value #MIN_LENGTH} characters. A token listed twice is an error, so a file never says two
     * things about one token.
     */
    static Parsed parse(String text) {
        Map<String, Scope> tokens = new java.util.LinkedHashMap<>();
        Map<String, Integer> lineOf = new java.util.HashMap<>();
        List<String> errors = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("[ \t]+");
            if (parts.length != 2) {
                errors.add("line " + n + ": expected 'SCOPE TOKEN' (two words), found " + parts.length + " words");
                continue;
            }
            Optional<Scope> scope = Scope.of(parts[0]);
            if (scope.isEmpty()) {
                errors.add("line " + n + ": the scope must be 'read' or 'admin'");
                continue;
            }
            String token = parts[1];
            if (!TOKEN.matcher(token).matches()) {
                errors.add("line " + n + ": the token has characters a bearer token cannot have (allowed: "
                        + "A-Z a-z 0-9 - . _ ~ + / and trailing =)");
                continue;
            }
            if (token.length() < MIN_LENGTH) {
                errors.add("line " + n + ": the token is shorter than " + MIN_LENGTH + " characters");
                continue;
            }
            Integer first = lineOf.putIfAbsent(token, n);
            if (first != null) {
                errors.add("line " + n + ": the same token as line " + first);
                continue;
            }
            tokens.put(token, scope.get());
        }
        if (tokens.isEmpty() && errors.isEmpty()) {
            errors.add("no tokens: every request would be refused");
        }
        return new Parsed(tokens, errors);
    }

    /**
     * The scope of a presented token, or empty when it is not one of ours. Every stored digest is
     * compared, whatever matched earlier.
     */
    public Optional<Scope> scopeOf(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] d = digest(presented);
        Scope best = null;
        for (Entry e : entries) {
            boolean match = MessageDigest.isEqual(d, e.digest());
            if (match && (best == null || e.scope() == Scope.ADMIN)) {
                best = e.scope();
            }
        }
        return Optional.ofNullable(best);
    }

    int count(Scope scope) {
        return (int) entries.stream().filter(e -> e.scope() == scope).count();
    }

    Map<Scope, Integer> counts() {
        Map<Scope, Integer> m = new EnumMap<>(Scope.class);
        for (Scope s : Scope.values()) {
            m.put(s, count(s));
        }
        return m;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A token file others can read hands out their access: say so, without failing (the operator decides). */
    private static void warnIfShared(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)
                    || perms.contains(PosixFilePermission.GROUP_WRITE)
                    || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                LOG.warning(() -> "token file " + file + " is readable or writable by group or others (mode "
                        + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); chmod 600 it");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
