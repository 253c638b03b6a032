package io.hostdev.agent.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {

    private static List<SseEvent> parse(String lastId, String... lines) {
        SseParser p = new SseParser(lastId);
        List<SseEvent> out = new ArrayList<>();
        for (String l : lines) {
            SseEvent e = p.line(l);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("the agent's event frame",
                        List.of("id: C1", "event: added", "data: {\"kind\":\"added\"}", ""),
                        List.of(new SseEvent("C1", "added", "{\"kind\":\"added\"}"))),
                Arguments.of("heartbeat comments dispatch nothing",
                        List.of(": heartbeat", "", ": heartbeat", ""), List.of()),
                Arguments.of("data lines are joined with newlines",
                        List.of("data: a", "data:b", "data:  c", ""), List.of(new SseEvent(null, "message", "a\nb\n c"))),
                Arguments.of("no blank line, no event (a frame cut by a dropped connection)",
                        List.of("id: C2", "event: added", "data: {}"), List.of()),
                Arguments.of("a frame without data dispatches nothing",
                        List.of("id: C3", "event: added", ""), List.of()),
                Arguments.of("the id sticks to later frames without one",
                        List.of("id: C4", "data: x", "", "data: y", ""),
                        List.of(new SseEvent("C4", "message", "x"), new SseEvent("C4", "message", "y"))),
                Arguments.of("an id with NUL is ignored",
                        List.of("id: C5", "data: x", "", "id: bad\0id", "data: y", ""),
                        List.of(new SseEvent("C5", "message", "x"), new SseEvent("C5", "message", "y"))),
                Arguments.of("a field without colon has an empty value; unknown fields are ignored",
                        List.of("data", "foo: bar", ""), List.of(new SseEvent(null, "message", ""))),
                Arguments.of("a byte order mark before the first line is skipped",
                        List.of("\uFEFFdata: x", ""), List.of(new SseEvent(null, "message", "x"))),
                Arguments.of("the type resets after each frame",
                        List.of("event: resync", "data: {}", "", "data: z", ""),
                        List.of(new SseEvent(null, "resync", "{}"), new SseEvent(null, "message", "z"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void framesBecomeEvents(String what, List<String> lines, List<SseEvent> expected) {
        assertThat(parse(null, lines.toArray(String[]::new))).containsExactlyElementsOf(expected);
    }

    @Test
    void theLastEventIdIsCommittedOnlyWhenAFrameEnds() {
        SseParser p = new SseParser("C0");
        p.line("id: C1");
        p.line("data: x");
        assertThat(p.lastEventId()).isEqualTo("C0");

        p.line("");

        assertThat(p.lastEventId()).isEqualTo("C1");
    }

    @Test
    void aResumedConnectionStartsFromTheIdItWasGiven() {
        assertThat(parse("C9", "data: x", "")).containsExactly(new SseEvent("C9", "message", "x"));
    }

    @Test
    void retryIsTakenOnlyWhenItIsDigits() {
        SseParser p = new SseParser(null);
        p.line("retry: soon");
        assertThat(p.retry()).isNull();

        p.line("retry: 2500");

        assertThat(p.retry()).isEqualTo(2500L);
    }
}
