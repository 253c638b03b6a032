package io.hostdev.agent.journal;

import io.hostdev.agent.journal.RecordFormat.Header;
import io.hostdev.agent.journal.RecordFormat.HeaderInvalid;
import io.hostdev.agent.journal.RecordFormat.HeaderOk;
import io.hostdev.agent.journal.RecordFormat.HeaderUnsupported;
import io.hostdev.agent.journal.RecordFormat.Invalid;
import io.hostdev.agent.journal.RecordFormat.Valid;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordFormatTest {

    static final UUID EPOCH = UUID.fromString("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");

    static byte[] record(long seq, long time, boolean end, String payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordFormat.appendRecord(out, seq, time, end, payload.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static RecordFormat.Line parseLine(byte[] line) {
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        return RecordFormat.parseRecord(line, 0, line.length - 1);
    }

    static RecordFormat.Line parseLine(String line) {
        return parseLine((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A record line with a correct checksum over whatever follows it. */
    static String withCrc(String rest) {
        byte[] b = rest.getBytes(StandardCharsets.ISO_8859_1);
        return RecordFormat.hex(RecordFormat.crc(b, 0, b.length)) + " " + rest;
    }

    @Nested
    class Records {

        @Test
        void aRecordIsOneReadableLine() {
            String line = new String(record(42, 1700000000123L, true, "{\"kind\":\"added\"}"), StandardCharsets.UTF_8);
            assertThat(line).matches("[0-9a-f]{8} 42 1700000000123 1 16 \\{\"kind\":\"added\"}\n");
        }

        @Test
        void recordsRoundTrip() {
            byte[] line = record(7, 0, false, "héllo wörld with spaces");
            Valid v = (Valid) parseLine(line);
            assertThat(v.seq()).isEqualTo(7);
            assertThat(v.time()).isZero();
            assertThat(v.batchEnd()).isFalse();
            assertThat(new String(line, v.payloadFrom(), v.payloadTo() - v.payloadFrom(), StandardCharsets.UTF_8))
                    .isEqualTo("héllo wörld with spaces");
            assertThat(RecordFormat.hex(v.crc())).isEqualTo(new String(line, 0, 8, StandardCharsets.US_ASCII));
        }

        @Test
        void anEmptyPayloadIsARecordToo() {
            assertThat(parseLine(record(1, 5, true, ""))).isInstanceOf(Valid.class);
        }

        @Test
        void payloadsMustBeOneLine() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThatThrownBy(() -> RecordFormat.appendRecord(out, 1, 0, true, "a\nb".getBytes(StandardCharsets.UTF_8)))
                    .hasMessageContaining("line feed");
            assertThat(out.size()).isZero();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badLines")
        void malformedLinesAreInvalidNeverAnException(String name, String line, String reason) {
            assertThat(parseLine(line)).isEqualTo(new Invalid(reason));
        }

        static Stream<Arguments> badLines() {
            return Stream.of(
                    Arguments.of("empty", "", "not a record line"),
                    Arguments.of("short", "abc", "not a record line"),
                    Arguments.of("uppercase checksum", "ABCDEF01 1 0 1 0 ", "not a record line"),
                    Arguments.of("no space after checksum", withCrc("1 0 1 0 ").replaceFirst(" ", "_"),
                            "not a record line"),
                    Arguments.of("wrong checksum", "00000000 1 0 1 0 ", "checksum mismatch"),
                    Arguments.of("payload changed", withCrc("1 0 1 3 abc").replace("abc", "abd"), "checksum mismatch"),
                    Arguments.of("length too long", withCrc("1 0 1 4 abc"), "malformed record fields"),
                    Arguments.of("length too short", withCrc("1 0 1 2 abc"), "malformed record fields"),
                    Arguments.of("sequence 0", withCrc("0 0 1 0 "), "malformed record fields"),
                    Arguments.of("leading zero", withCrc("01 0 1 0 "), "malformed record fields"),
                    Arguments.of("negative", withCrc("-1 0 1 0 "), "malformed record fields"),
                    Arguments.of("sequence overflows", withCrc("9223372036854775808 0 1 0 "), "malformed record fields"),
                    Arguments.of("batch flag 2", withCrc("1 0 2 0 "), "malformed record fields"),
                    Arguments.of("missing fields", withCrc("1 0"), "malformed record fields"),
                    Arguments.of("two spaces", withCrc("1  0 1 0 "), "malformed record fields"),
                    Arguments.of("hex sequence", withCrc("1f 0 1 0 "), "malformed record fields"));
        }

        @Test
        void randomBytesNeverThrow() {
            Random r = new Random(4);
            for (int i = 0; i < 20_000; i++) {
                byte[] b = new byte[r.nextInt(64)];
                r.nextBytes(b);
                if (r.nextBoolean() && b.length > 20) {
                    System.arraycopy(withCrc("1 2 1 3 abc").getBytes(StandardCharsets.US_ASCII), 0, b, 0, 20);
                }
                assertThat(RecordFormat.parseRecord(b, 0, b.length)).isNotNull();
                assertThat(RecordFormat.scan(b)).isNotNull();
            }
        }
    }

    @Nested
    class Headers {

        @Test
        void headersRoundTrip() {
            byte[] h = RecordFormat.header(new Header(EPOCH, 1001, 0xcafe));
            assertThat(new String(h, StandardCharsets.US_ASCII))
                    .matches("hostdev-journal 1 " + EPOCH + " 1001 0000cafe [0-9a-f]{8}\n");
            assertThat(RecordFormat.scan(h).header()).isEqualTo(new HeaderOk(new Header(EPOCH, 1001, 0xcafe)));
        }

        @Test
        void aKnownMagicWithAnotherVersionIsUnsupportedNotInvalid() {
            assertThat(RecordFormat.scan("hostdev-journal 2 whatever the future holds\n".getBytes(StandardCharsets.US_ASCII))
                    .header()).isEqualTo(new HeaderUnsupported("2"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badHeaders")
        void malformedHeadersAreInvalid(String name, String text, String reason) {
            assertThat(RecordFormat.scan(text.getBytes(StandardCharsets.ISO_8859_1)).header())
                    .isInstanceOf(HeaderInvalid.class)
                    .extracting(h -> ((HeaderInvalid) h).reason()).asString().contains(reason);
        }

        static Stream<Arguments> badHeaders() {
            String good = new String(RecordFormat.header(new Header(EPOCH, 1, 0)), StandardCharsets.US_ASCII);
            return Stream.of(
                    Arguments.of("empty file", "", "empty file"),
                    Arguments.of("torn", good.substring(0, 20), "incomplete header"),
                    Arguments.of("torn before the line feed", good.substring(0, good.length() - 1), "incomplete header"),
                    Arguments.of("not a journal", "hello\n", "not a journal segment"),
                    Arguments.of("zeros", "\0\0\0\0\n", "not a journal segment"),
                    Arguments.of("version garbage", "hostdev-journal x1\n", "malformed version"),
                    Arguments.of("field missing", "hostdev-journal 1 " + EPOCH + " 1 00000000\n", "6 fields"),
                    Arguments.of("digit changed", good.replace(" 1 0000", " 2 0000"), "checksum mismatch"),
                    Arguments.of("uppercase epoch", withHeaderCrc("hostdev-journal 1 " + EPOCH.toString().toUpperCase()
                            + " 1 00000000"), "malformed header fields"),
                    Arguments.of("first 0", withHeaderCrc("hostdev-journal 1 " + EPOCH + " 0 00000000"),
                            "malformed header fields"));
        }

        static String withHeaderCrc(String body) {
            byte[] b = body.getBytes(StandardCharsets.US_ASCII);
            return body + " " + RecordFormat.hex(RecordFormat.crc(b, 0, b.length)) + "\n";
        }
    }

    @Nested
    class Scanning {

        @Test
        void aSegmentIsItsHeaderThenOneItemPerLine() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(RecordFormat.header(new Header(EPOCH, 5, 0)));
            int headerEnd = out.size();
            RecordFormat.appendRecord(out, 5, 1, false, "a".getBytes(StandardCharsets.US_ASCII));
            RecordFormat.appendRecord(out, 6, 1, true, "b".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes("garbage\n0123".getBytes(StandardCharsets.US_ASCII));
            RecordFormat.Scan scan = RecordFormat.scan(out.toByteArray());
            assertThat(scan.headerEnd()).isEqualTo(headerEnd);
            assertThat(scan.items()).extracting(i -> i.line().getClass().getSimpleName())
                    .containsExactly("Valid", "Valid", "Invalid", "Invalid");
            assertThat(scan.items().get(3).line()).isEqualTo(new Invalid("incomplete line without its line feed (torn write)"));
            assertThat(scan.items().get(3).end()).isEqualTo(out.size());
            assertThat(scan.items().get(1).end()).isEqualTo(scan.items().get(2).offset());
        }
    }

    @Nested
    class Numbers {

        @ParameterizedTest
        @MethodSource("decimals")
        void decimalsAreStrict(String text, boolean zeroAllowed, long expected) {
            assertThat(RecordFormat.parseDecimal(text, zeroAllowed)).isEqualTo(expected);
        }

        static Stream<Arguments> decimals() {
            return Stream.of(Arguments.of("0", true, 0L), Arguments.of("0", false, -1L), Arguments.of("7", false, 7L),
                    Arguments.of("9223372036854775807", false, Long.MAX_VALUE),
                    Arguments.of("9223372036854775808", false, -1L), Arguments.of("00", true, -1L),
                    Arguments.of("+1", true, -1L), Arguments.of("", true, -1L), Arguments.of("1 ", true, -1L),
                    Arguments.of("١", true, -1L));
        }
    }
}
