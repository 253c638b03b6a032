package io.hostdev.probes.sysfs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SysfsDeviceTest {

    static SysfsDevice with(String key, String value) {
        return new SysfsDevice(Path.of("/x"), "/sys/devices/x", "x", "misc", Map.of(key, value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vda", "input/event0", "bus/usb/001/002", "dri/card0", "net/tun", "sg0"})
    void realDevnamesAreKept(String name) {
        assertThat(with("DEVNAME", name).devname()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../../etc/passwd", "input/../../x", "a//b", "a/./b", "vda/",
            "new\nline", "nul\u0000", "bad\ufffd"})
    void devnamesThatWouldNotNameANodeBelowDevAreAbsent(String name) {
        assertThat(with("DEVNAME", name).devname()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"virtio-pci, virtio-pci", "usb_interface, usb_interface", "i40e, i40e"})
    void driversAndDevtypesAreKernelTokens(String value, String expected) {
        assertThat(with("DRIVER", value).driver()).isEqualTo(expected);
        assertThat(with("DEVTYPE", value).devtype()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "a/b", "tab\tx", "ctl\u0001"})
    void garbageDriversAreAbsent(String value) {
        assertThat(with("DRIVER", value).driver()).isNull();
        assertThat(with("DEVTYPE", value).devtype()).isNull();
    }

    @org.junit.jupiter.api.Test
    void overlongValuesAreAbsent() {
        assertThat(with("DRIVER", "d".repeat(256)).driver()).isNull();
        assertThat(with("DRIVER", "d".repeat(255)).driver()).hasSize(255);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"A=1\\nB=2|2", "A=1\\nnoequals\\n=x\\nB==2|2", "''|0", "A=1\\nA=2|1"})
    void ueventParsingKeepsKeyValueLinesOnly(String text, int size) {
        assertThat(SysfsDevice.parseUevent(text.replace("\\n", "\n"))).hasSize(size);
    }
}
