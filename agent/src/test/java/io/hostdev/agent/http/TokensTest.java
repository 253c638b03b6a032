package io.hostdev.agent.http;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokensTest {

    static final String T1 = "abcdefghijklmnop";
    static final String T2 = "QRSTUVWXYZ012345+/==";

    @Nested
    class Parsing {

        @Test
        void scopesAndTokensWithCommentsAndBlankLines() {
            Tokens.Parsed p = Tokens.parse("# comment\n\nread " + T1 + "\r\n  admin\t\t" + T2 + "  \n   # indented comment\n");
            assertThat(p.errors()).isEmpty();
            assertThat(p.tokens()).containsExactly(Map.entry(T1, Scope.READ), Map.entry(T2, Scope.ADMIN));
        }

        @ParameterizedTest(name = "[{index}] {1}")
        @CsvSource(delimiter = '|', value = {
                "read|line 1: expected 'SCOPE TOKEN' (two words), found 1 words",
                "read abcdefghijklmnop extra|line 1: expected 'SCOPE TOKEN' (two words), found 3 words",
                "READ abcdefghijklmnop|line 1: the scope must be 'read' or 'admin'",
                "write abcdefghijklmnop|line 1: the scope must be 'read' or 'admin'",
                "read tiny1|line 1: the token is shorter than 16 characters",
                "read abcdefgh\"ijklmnop|line 1: the token has characters a bearer token cannot have",
                "read abcdefgh=ijklmnop|line 1: the token has characters a bearer token cannot have",
                "read abcdéfghijklmnopq|line 1: the token has characters a bearer token cannot have",
                "''|no tokens: every request would be refused",
                "# only a comment|no tokens: every request would be refused"})
        void badLinesAreNamedByNumberNeverByContent(String text, String error) {
            Tokens.Parsed p = Tokens.parse(text);
            assertThat(p.errors()).hasSize(1);
            assertThat(p.errors().get(0)).startsWith(error).doesNotContain("abcdefgh").doesNotContain("tiny1");
        }

        @Test
        void aTokenListedTwiceIsAnError() {
            Tokens.Parsed p = Tokens.parse("read " + T1 + "\nadmin " + T1 + "\n");
            assertThat(p.errors()).containsExactly("line 2: the same token as line 1");
        }
    }

    @Nested
    class Checking {

        final Tokens tokens = Tokens.of(Map.of(T1, Scope.READ, T2, Scope.ADMIN));

        @Test
        void aKnownTokenHasItsScope() {
            assertThat(tokens.scopeOf(T1)).contains(Scope.READ);
            assertThat(tokens.scopeOf(T2)).contains(Scope.ADMIN);
        }

        @ParameterizedTest
        @CsvSource({"abcdefghijklmno", "abcdefghijklmnopq", "Abcdefghijklmnop", "''"})
        void anythingElseIsUnknown(String presented) {
            assertThat(tokens.scopeOf(presented)).isEmpty();
            assertThat(tokens.scopeOf(null)).isEmpty();
        }

        @Test
        void adminAllowsEverythingReadOnlyRead() {
            assertThat(Scope.ADMIN.allows(Scope.ADMIN)).isTrue();
            assertThat(Scope.ADMIN.allows(Scope.READ)).isTrue();
            assertThat(Scope.READ.allows(Scope.READ)).isTrue();
            assertThat(Scope.READ.allows(Scope.ADMIN)).isFalse();
        }
    }

    @Nested
    class Loading {

        @TempDir
        Path dir;

        @Test
        void aFileOthersCanReadLoadsWithAWarningThatShowsNoToken() throws Exception {
            Path f = Files.writeString(dir.resolve("tokens"), "read " + T1 + "\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            List<String> warnings = new java.util.ArrayList<>();
            Handler h = new Handler() {
                @Override
                public void publish(LogRecord r) {
                    warnings.add(r.getLevel() + " " + r.getMessage());
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            Logger log = Logger.getLogger("io.hostdev.http");
            log.addHandler(h);
            // the warning is expected here: keep it out of the build log
            log.setUseParentHandlers(false);
            try {
                assertThat(Tokens.load(f).scopeOf(T1)).contains(Scope.READ);
            } finally {
                log.removeHandler(h);
                log.setUseParentHandlers(true);
            }
            assertThat(warnings).anyMatch(w -> w.startsWith("WARNING") && w.contains("chmod 600"));
            assertThat(warnings).noneMatch(w -> w.contains(T1));
        }

        @Test
        void aPrivateFileLoadsWithoutWarning() throws Exception {
            Path f = Files.writeString(dir.resolve("tokens"), "admin " + T2 + "\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            assertThat(Tokens.load(f).scopeOf(T2)).contains(Scope.ADMIN);
        }

        @Test
        void aMissingFileIsASetupError() {
            assertThatThrownBy(() -> Tokens.load(dir.resolve("absent"))).isInstanceOf(HttpSetupException.class)
                    .hasMessageContaining("cannot read the token file");
        }

        @Test
        void aFileThatIsNotUtf8IsASetupError() throws Exception {
            Path f = Files.write(dir.resolve("tokens"), new byte[] {'r', 'e', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe});
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            assertThatThrownBy(() -> Tokens.load(f)).isInstanceOf(HttpSetupException.class)
                    .hasMessageContaining("not UTF-8");
        }
    }
}
