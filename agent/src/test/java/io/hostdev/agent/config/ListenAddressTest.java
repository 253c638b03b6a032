package io.hostdev.agent.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenAddressTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:8742, 127.0.0.1, 8742, true",
        "127.1.2.3:1, 127.1.2.3, 1, true",
        "localhost:8742, localhost, 8742, true",
        "[::1]:8742, ::1, 8742, true",
        "0.0.0.0:8742, 0.0.0.0, 8742, false",
        "[::]:8742, ::, 8742, false",
        "10.0.0.5:0, 10.0.0.5, 0, false",
        "host.example:8742, host.example, 8742, false",
        "[fe80::1%eth0]:8742, fe80::1%eth0, 8742, false",
    })
    void parsesHostAndPortAndKnowsLoopback(String text, String host, int port, boolean loopback) {
        ListenAddress a = ListenAddress.parse(text);

        assertThat(a).isEqualTo(new ListenAddress(host, port));
        assertThat(a.isLoopback()).isEqualTo(loopback);
        assertThat(ListenAddress.parse(a.toString())).isEqualTo(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "8742", ":8742", "127.0.0.1", "127.0.0.1:", "::1:8742", "[::1]", "a:b", "h:123456",
        "h:99999"})
    void otherFormsAreRefused(String text) {
        assertThatThrownBy(() -> ListenAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
