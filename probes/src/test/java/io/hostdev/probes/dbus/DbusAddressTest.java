package io.hostdev.probes.dbus;

import io.hostdev.probes.HostRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DbusAddressTest {

    static final HostRoot HOST = HostRoot.of(Path.of("/host"));

    @ParameterizedTest(name = "env {0}, config {1} → {2}")
    @CsvSource(nullValues = "null", value = {
            "unix:path=/env/bus, unix:path=/cfg/bus, unix:path=/env/bus",
            "'  unix:path=/env/bus ', null, unix:path=/env/bus",
            "null, unix:path=/cfg/bus, unix:path=/cfg/bus",
            "'', unix:path=/cfg/bus, unix:path=/cfg/bus",
            "'  ', '  ', unix:path=/host/run/dbus/system_bus_socket",
            "null, null, unix:path=/host/run/dbus/system_bus_socket"})
    void theEnvironmentWinsThenTheConfigThenTheSocketUnderTheRoot(String env, String configured, String expected) {
        assertThat(DbusAddress.resolve(env, configured, HOST)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "null", value = {
            "unix:path=/run/dbus/system_bus_socket, /run/dbus/system_bus_socket",
            "'unix:path=/a/b,guid=0123', /a/b",
            "'unix:guid=0123,path=/a/b', /a/b",
            "unix:path=/a;tcp:host=x, /a",
            "unix:abstract=/tmp/dbus-x, null",
            "'tcp:host=localhost,port=1', null",
            "unix:path=, null",
            "'', null",
            "null, null"})
    void theSocketOfAUnixPathAddressIsKnownOthersOnlyTried(String address, String expected) {
        Path p = DbusAddress.unixPath(address);
        assertThat(p == null ? null : p.toString()).isEqualTo(expected);
    }

    @Test
    void theDefaultIsTheSystemSocketRelativeToRun() {
        assertThat(DbusAddress.resolve(null, null, HostRoot.of(Path.of("/")))).isEqualTo("unix:path=/run/dbus/system_bus_socket");
    }
}
