package io.hostdev.agent.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentClientTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://127.0.0.1:8742, http://127.0.0.1:8742",
            "http://127.0.0.1:8742/, http://127.0.0.1:8742",
            "HTTPS://host.example:443/hostdev//, https://host.example:443/hostdev",
            "http://[::1]:8742, http://[::1]:8742"})
    void theBaseUrlLosesTrailingSlashes(String url, String base) {
        assertThat(AgentClient.baseUri(url)).hasToString(base);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1:8742              | must start with http:// or https://",
            "ftp://host/                 | must start with http:// or https://",
            "http://                     | not a URL",
            "http://host:1/?x=1          | must not have a query",
            "http://user:pw@host:1       | must not carry credentials"})
    void badUrlsSayWhy(String url, String message) {
        assertThatThrownBy(() -> AgentClient.baseUri(url)).isInstanceOf(ClientException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "cap='net' and bus == \"pci\" | cap%3D%27net%27%20and%20bus%20%3D%3D%20%22pci%22",
            "/sys/devices/pci0000:00      | %2Fsys%2Fdevices%2Fpci0000%3A00",
            "a+b*c~d                      | a%2Bb%2Ac~d",
            "été                          | %C3%A9t%C3%A9"})
    void encodesEverythingButUnreservedCharacters(String text, String encoded) {
        assertThat(AgentClient.encode(text)).isEqualTo(encoded);
    }

    @org.junit.jupiter.api.Test
    void aCaFileIsOnlyForHttps() {
        assertThatThrownBy(() -> AgentClient.create("http://127.0.0.1:1", null, Path.of("ca.pem"), Duration.ofSeconds(1)))
                .hasMessageContaining("--cacert is for https:// URLs");
    }
}
