package io.hostdev.agent.journal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The bytes of a segment file (docs/journal.md, "Record format"): one header line, then one line
 * per record, every line ending with {@code \n}.
 *
 * <pre>
 * hostdev-journal 1 EPOCH FIRST PREV CRC\n
 * CRC SEQ MILLIS END LENGTH PAYLOAD\n
 * </pre>
 *
 * <p>Numbers are decimal without leading zeros, {@code CRC} and {@code PREV} eight lowercase hex
 * digits. A header's CRC32C covers the line before {@code " CRC"}; a record's covers everything
 * after {@code "CRC "}, payload included. {@code END} is 1 on the last record of an append batch,
 * 0 on the others. Payloads never contain {@code \n}, so the file stays line-oriented: a damaged
 * line never swallows the next one.
 *
 * <p>Parsing never throws: every malformed input is an {@link Line.Invalid} saying why.
 */
final class RecordFormat {

    static final String MAGIC = "hostdev-journal";
    static final int VERSION = 1;
    /** One payload's limit: a device event is a few KiB; anything near this is a bug upstream. */
    static final int MAX_PAYLOAD = 16 << 20;
    private static final byte LF = '\n';
    private static final byte SP = ' ';

    private RecordFormat() {
    }

    /** A segment's first line: its epoch, the sequence of its first record and the check of the record before. */
    record Header(UUID epoch, long first, int prev) {
    }

    sealed interface HeaderResult {
    }

    record HeaderOk(Header header) implements HeaderResult {
    }

    /** A complete, well-formed header of a format version this code does not know: never overwrite it. */
    record HeaderUnsupported(String version) implements HeaderResult {
    }

    record HeaderInvalid(String reason) implements HeaderResult {
    }

    sealed interface Line {
    }

    /** A record whose checksum matched; the payload is {@code [payloadFrom, payloadTo)} of the parsed buffer. */
    record Valid(long seq, long time, boolean batchEnd, int crc, int payloadFrom, int payloadTo) implements Line {
    }

    record Invalid(String reason) implements Line {
    }

    /** A line of a segment: where it starts, where the next one starts, and what it holds. */
    record Item(int offset, int end, Line line) {
    }

    /** A whole segment file parsed: its header, where the header ends, and every line after it. */
    record Scan(HeaderResult header, int headerEnd, List<Item> items) {

        boolean hasValidRecord() {
            return items.stream().anyMatch(i -> i.line() instanceof Valid);
        }
    }

    static byte[] header(Header h) {
        String body = MAGIC + " " + VERSION + " " + h.epoch() + " " + h.first() + " " + hex(h.prev());
        byte[] b = ascii(body);
        return ascii(body + " " + hex(crc(b, 0, b.length)) + "\n");
    }

    /**
     * Appends one record line to {@code out} and returns its CRC.
     *
     * @throws IllegalArgumentException when the payload contains a line feed or is too large
     */
    static int appendRecord(ByteArrayOutputStream out, long seq, long time, boolean batchEnd, byte[] payload) {
        checkPayload(payload);
        byte[] prefix = ascii(seq + " " + time + " " + (batchEnd ? '1' : '0') + " " + payload.length + " ");
        CRC32C c = new CRC32C();
        c.update(prefix, 0, prefix.length);
        c.update(payload, 0, payload.length);
        int crc = (int) c.getValue();
        out.writeBytes(ascii(hex(crc) + " "));
        out.writeBytes(prefix);
        out.writeBytes(payload);
        out.write(LF);
        return crc;
    }

    static void checkPayload(byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes is over the limit of "
                    + MAX_PAYLOAD);
        }
        for (byte b : payload) {
            if (b == LF) {
                throw new IllegalArgumentException("a payload must be one line: it contains a line feed");
            }
        }
    }

    /** Parses a whole segment file. */
    static Scan scan(byte[] b) {
        int lf = indexOf(b, 0, b.length, LF);
        HeaderResult header = lf < 0
                ? new HeaderInvalid(b.length == 0 ? "empty file" : "incomplete header line (torn write)")
                : parseHeader(b, 0, lf);
        int headerEnd = lf < 0 ? b.length : lf + 1;
        return new Scan(header, headerEnd, lines(b, headerEnd, b.length));
    }

    /** Splits {@code [from, to)} into lines; a last piece without its line feed is invalid (a torn write). */
    static List<Item> lines(byte[] b, int from, int to) {
        List<Item> items = new ArrayList<>();
        int pos = from;
        while (pos < to) {
            int lf = indexOf(b, pos, to, LF);
            if (lf < 0) {
                items.add(new Item(pos, to, new Invalid("incomplete line without its line feed (torn write)")));
                break;
            }
            items.add(new Item(pos, lf + 1, parseRecord(b, pos, lf)));
            pos = lf + 1;
        }
        return items;
    }

    /** Parses a header line, {@code [from, to)} without its line feed. */
    static HeaderResult parseHeader(byte[] b, int from, int to) {
        String line = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        String[] f = line.split(" ", -1);
        if (f.length < 2 || !f[0].equals(MAGIC)) {
            return new HeaderInvalid("not a journal segment (no '" + MAGIC + "' header)");
        }
        if (!f[1].equals(Integer.toString(VERSION))) {
            return f[1].matches("[1-9][0-9]{0,8}")
                    ? new HeaderUnsupported(f[1])
                    : new HeaderInvalid("malformed version '" + printable(f[1]) + "'");
        }
        if (f.length != 6) {
            return new HeaderInvalid("a version 1 header has 6 fields, this one " + f.length);
        }
        int crcAt = to - 9;
        if (crcAt <= from || b[crcAt] != SP || !isHex8(b, crcAt + 1)) {
            return new HeaderInvalid("malformed header checksum");
        }
        if (parseHex(b, crcAt + 1) != crc(b, from, crcAt - from)) {
            return new HeaderInvalid("header checksum mismatch");
        }
        UUID epoch = parseUuid(f[2]);
        long first = parseDecimal(f[3], false);
        byte[] prev = ascii(f[4]);
        if (epoch == null || first < 1 || prev.length != 8 || !isHex8(prev, 0)) {
            return new HeaderInvalid("malformed header fields");
        }
        return new HeaderOk(new Header(epoch, first, parseHex(prev, 0)));
    }

    /** Parses one record line, {@code [from, to)} without its line feed. */
    static Line parseRecord(byte[] b, int from, int to) {
        if (to - from < 9 || !isHex8(b, from) || b[from + 8] != SP) {
            return new Invalid("not a record line");
        }
        int crc = parseHex(b, from);
        if (crc != crc(b, from + 9, to - from - 9)) {
            return new Invalid("checksum mismatch");
        }
        int[] pos = {from + 9};
        long seq = field(b, pos, to, false);
        long time = field(b, pos, to, true);
        long end = field(b, pos, to, true);
        long length = field(b, pos, to, true);
        if (seq < 1 || time < 0 || (end != 0 && end != 1) || length < 0 || length != to - pos[0]) {
            return new Invalid("malformed record fields");
        }
        return new Valid(seq, time, end == 1, crc, pos[0], to);
    }

    /** A decimal field followed by a space, from {@code pos[0]}; advances past the space. -1 when malformed. */
    private static long field(byte[] b, int[] pos, int to, boolean zeroAllowed) {
        int sp = indexOf(b, pos[0], to, SP);
        if (sp < 0) {
            return -1;
        }
        long v = parseDecimal(new String(b, pos[0], sp - pos[0], StandardCharsets.ISO_8859_1), zeroAllowed);
        pos[0] = sp + 1;
        return v;
    }

    /** Strict decimal: digits only, no sign, no leading zero, fits a long. -1 when malformed. */
    static long parseDecimal(String s, boolean zeroAllowed) {
        if (s.isEmpty() || s.length() > 19 || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
            if (v < 0) {
                return -1;
            }
        }
        return v == 0 && !zeroAllowed ? -1 : v;
    }

    /** Canonical lowercase UUID text only, as {@link UUID#toString()} writes it. */
    private static UUID parseUuid(String s) {
        if (!s.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            return null;
        }
        return UUID.fromString(s);
    }

    static int crc(byte[] b, int from, int length) {
        CRC32C c = new CRC32C();
        c.update(b, from, length);
        return (int) c.getValue();
    }

    static String hex(int v) {
        String h = Integer.toHexString(v);
        return "0".repeat(8 - h.length()) + h;
    }

    private static boolean isHex8(byte[] b, int from) {
        if (from < 0 || from + 8 > b.length) {
            return false;
        }
        for (int i = from; i < from + 8; i++) {
            byte c = b[i];
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static int parseHex(byte[] b, int from) {
        return (int) Long.parseLong(new String(b, from, 8, StandardCharsets.ISO_8859_1), 16);
    }

    static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String printable(String s) {
        String t = s.length() > 20 ? s.substring(0, 20) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
