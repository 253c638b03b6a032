package io.hostdev.agent.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenFileTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "just the token                          | s3cret\\n                                   | s3cret",
            "surrounding blanks and CRLF             | '  s3cret  \\r\\n'                          | s3cret",
            "comments and blank lines skipped        | # mine\\n\\ns3cret\\n                        | s3cret",
            "the agent's file: the read token wins   | admin A1\\nread R1\\nread R2\\n              | R1",
            "only admin tokens: the first            | admin A1\\nadmin A2\\n                      | A1",
            "scope names in any case                 | ADMIN A1\\nRead R1\\n                       | R1",
            "a bare token before scoped lines        | t0\\nread R1\\n                             | R1",
    })
    void picksTheToken(String what, String text, String expected) {
        assertThat(TokenFile.parse(text.replace("\\n", "\n").replace("\\r", "\r"))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty                     | ''                        | no token",
            "only comments             | # nothing\\n              | no token",
            "three fields              | read tok extra\\n         | line 1 is neither",
            "an unknown scope          | # c\\nwrite tok\\n        | line 2 is neither",
    })
    void refusesFilesWithoutAUsableToken(String what, String text, String message) {
        assertThatThrownBy(() -> TokenFile.parse(text.replace("\\n", "\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void aTokenAHeaderCannotCarryIsRefusedWithoutBeingShown() {
        assertThatThrownBy(() -> TokenFile.parse("read s3cr\u00e9t\n"))
                .hasMessageContaining("line 1").hasMessageNotContaining("s3cr");
    }

    @Test
    void anUnreadableFileIsNamedButItsTokenNeverShown(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        assertThatThrownBy(() -> TokenFile.read(file)).isInstanceOf(ClientException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("no such file");

        Files.writeString(file, "write s3cret\n");

        assertThatThrownBy(() -> TokenFile.read(file)).hasMessageNotContaining("s3cret");
    }
}
