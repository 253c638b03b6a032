package io.hostdev.agent.client;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemTest {

    @Test
    void readsTheContractsMembers() {
        Problem p = Problem.parse(410, """
                {"type": "https://hostdev.io/problems/resync", "title": "resync needed", "status": 410,
                 "detail": "cursor expired", "reason": "expired", "head": "H", "resync": "/v1/devices?selector=x",
                 "suggestions": ["a"], "candidates": ["b", "c"], "column": 7}""");

        assertThat(p).isEqualTo(new Problem("https://hostdev.io/problems/resync", "resync needed", 410,
                "cursor expired", 7, List.of("a"), List.of("b", "c"), "expired", "H", "/v1/devices?selector=x"));
    }

    @Test
    void aBodyThatIsNoProblemStillGivesItsStatusAndFirstLine() {
        Problem p = Problem.parse(502, "<html>Bad Gateway</html>\n<body>...</body>");

        assertThat(p.status()).isEqualTo(502);
        assertThat(p.oneLine()).isEqualTo("<html>Bad Gateway</html>");
        assertThat(Problem.parse(503, "").oneLine()).isEqualTo("the agent answered HTTP 503");
    }

    @Test
    void oneLineIsOneLine() {
        assertThat(Problem.parse(400, "{\"title\": \"bad\", \"detail\": \"two\\nlines\"}").oneLine())
                .isEqualTo("two lines");
        assertThat(Problem.parse(404, "{\"title\": \"no such device\"}").oneLine()).isEqualTo("no such device");
    }
}
