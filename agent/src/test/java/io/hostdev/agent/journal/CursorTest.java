package io.hostdev.agent.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorTest {

    static final UUID EPOCH = UUID.fromString("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");

    @ParameterizedTest
    @MethodSource("cursors")
    void everyCursorRoundTripsThroughItsString(Cursor c) {
        String s = c.encoded();
        assertThat(s).hasSize(44).matches("[A-Za-z0-9_-]+");
        assertThat(Cursor.parse(s)).isEqualTo(c);
    }

    static Stream<Cursor> cursors() {
        return Stream.of(new Cursor(EPOCH, 0, 0), new Cursor(EPOCH, 1, 0xdeadbeef), new Cursor(EPOCH, Long.MAX_VALUE, -1),
                new Cursor(new UUID(0, 0), 42, 7));
    }

    @Test
    void cursorsThatDifferInAnyPartHaveDifferentStrings() {
        Cursor c = new Cursor(EPOCH, 5, 9);
        assertThat(Stream.of(c, new Cursor(EPOCH, 6, 9), new Cursor(EPOCH, 5, 8), new Cursor(UUID.randomUUID(), 5, 9))
                .map(Cursor::encoded).distinct()).hasSize(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageIsAMalformedCursorSayingWhy(String name, String text, String why) {
        assertThatThrownBy(() -> Cursor.parse(text))
                .isInstanceOf(MalformedCursorException.class)
                .hasMessageStartingWith("malformed cursor")
                .hasMessageContaining(why);
    }

    static Stream<Arguments> garbage() {
        String good = new Cursor(EPOCH, 7, 3).encoded();
        byte[] raw = Base64.getUrlDecoder().decode(good);
        byte[] otherVersion = raw.clone();
        otherVersion[0] = 2;
        byte[] flipped = raw.clone();
        flipped[20] ^= 1;
        return Stream.of(
                Arguments.of("null", null, "empty"),
                Arguments.of("empty", "", "empty"),
                Arguments.of("too short", good.substring(1), "44 characters"),
                Arguments.of("too long", good + "A", "44 characters"),
                Arguments.of("a number", "12345", "44 characters"),
                Arguments.of("standard base64 alphabet", good.substring(0, 43) + "+", "base64url"),
                Arguments.of("spaces", " ".repeat(44), "base64url"),
                Arguments.of("control characters", "\u0000".repeat(44), "base64url"),
                Arguments.of("padding", good.substring(0, 42) + "==", "base64url"),
                Arguments.of("unknown version", Base64.getUrlEncoder().withoutPadding().encodeToString(otherVersion),
                        "version 2"),
                Arguments.of("one bit flipped", Base64.getUrlEncoder().withoutPadding().encodeToString(flipped),
                        "check does not match"),
                Arguments.of("typo", good.substring(0, 10) + (good.charAt(10) == 'A' ? 'B' : 'A') + good.substring(11),
                        "check does not match"));
    }

    @Test
    void longGarbageIsShortenedInTheMessage() {
        assertThatThrownBy(() -> Cursor.parse("x".repeat(10_000)))
                .hasMessageContaining("x".repeat(60) + "...")
                .hasMessageNotContaining("x".repeat(61));
    }

    @Test
    void aNegativeSequenceIsNoCursor() {
        assertThatThrownBy(() -> new Cursor(EPOCH, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
