package io.hostdev.agent.journal;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * A position in the journal: "everything up to and including record {@code sequence} of epoch
 * {@code epoch}". Sequence 0 is the start of an epoch, before its first record.
 *
 * <p>{@code check} is the CRC32C of the record at {@code sequence} as stored (0 at the start of an
 * epoch). The journal accepts a cursor only when the record it names is still the one the client
 * saw, so a sequence number reused after a power failure (possible under fsync {@code interval} or
 * {@code never}) answers "resync" instead of silently skipping events.
 *
 * <p>Clients see cursors only as opaque strings ({@link #encoded()}): 33 bytes — a version byte
 * (1), the epoch (16 bytes), the sequence (8), the record check (4) and a CRC32C of those 29 bytes
 * (4), all big-endian — in unpadded base64url, always 44 characters.
 */
public record Cursor(UUID epoch, long sequence, int check) {

    static final int VERSION = 1;
    static final int BYTES = 33;
    static final int LENGTH = 44;

    public Cursor {
        Objects.requireNonNull(epoch, "epoch");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative: " + sequence);
        }
    }

    /** The cursor as handed to clients. */
    public String encoded() {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.put((byte) VERSION)
                .putLong(epoch.getMostSignificantBits())
                .putLong(epoch.getLeastSignificantBits())
                .putLong(sequence)
                .putInt(check);
        b.putInt(crc(b.array()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /**
     * Decodes a string made by {@link #encoded()}. Exactly one string decodes to each cursor:
     * anything else, including the same bytes padded or with other line breaks, is malformed.
     *
     * @throws MalformedCursorException saying what is wrong with it
     */
    public static Cursor parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new MalformedCursorException("malformed cursor: it is empty");
        }
        if (text.length() != LENGTH) {
            throw new MalformedCursorException("malformed cursor '" + shorten(text) + "': a cursor is " + LENGTH
                    + " characters, this one is " + text.length());
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedCursorException("malformed cursor '" + shorten(text)
                    + "': not base64url (A-Z a-z 0-9 - _)");
        }
        if (bytes.length != BYTES || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
            throw new MalformedCursorException("malformed cursor '" + shorten(text) + "': not base64url without padding");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int version = b.get() & 0xff;
        if (version != VERSION) {
            throw new MalformedCursorException("malformed cursor '" + shorten(text) + "': unknown cursor version "
                    + version);
        }
        UUID epoch = new UUID(b.getLong(), b.getLong());
        long sequence = b.getLong();
        int check = b.getInt();
        if (b.getInt() != crc(bytes)) {
            throw new MalformedCursorException("malformed cursor '" + shorten(text)
                    + "': its check does not match (mistyped or cut short?)");
        }
        if (sequence < 0) {
            throw new MalformedCursorException("malformed cursor '" + shorten(text) + "': negative sequence");
        }
        return new Cursor(epoch, sequence, check);
    }

    private static int crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes, 0, BYTES - 4);
        return (int) c.getValue();
    }

    private static String shorten(String s) {
        String printable = s.codePoints().limit(60)
                .map(cp -> cp < 0x20 || cp == 0x7f ? '?' : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return s.length() > 60 ? printable + "..." : printable;
    }
}
