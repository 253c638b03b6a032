package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.SystemCapability;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.hostdev.probes.sysfs.BusScans.cap;
import static io.hostdev.probes.sysfs.BusScans.scan;
import static org.assertj.core.api.Assertions.assertThat;

class SystemReaderTest {

    /** Where the kernel keeps the DMI device; {@code sys/class/dmi/id} links to it, as on a real host. */
    private static final String DMI = "sys/devices/virtual/dmi/id/";

    @TempDir
    Path root;

    FakeSysfs dmiHost() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.classDevice("virtual/dmi/id", "dmi").attr("modalias", "dmi:bvnSeaBIOS:");
        return fs;
    }

    SystemCapability system() {
        return cap(scan(root), "computer", SystemCapability.class);
    }

    @Test
    void readsProductHardwareAndFirmwareFromDmi() {
        dmiHost()
                .file(DMI + "product_name", "Standard PC (Q35 + ICH9, 2009)\n")
                .file(DMI + "sys_vendor", "QEMU\n")
                .file(DMI + "product_version", "pc-q35-8.2\n")
                .file(DMI + "product_serial", "SN-42\n")
                .file(DMI + "product_uuid", "3f0a1c2e-0000-4000-8000-000000000001\n")
                .file(DMI + "bios_vendor", "SeaBIOS\n")
                .file(DMI + "bios_version", "1.16.3-debian-1.16.3-2\n")
                .file(DMI + "bios_date", "04/01/2014\n");
        assertThat(system()).isEqualTo(SystemCapability.of("Standard PC (Q35 + ICH9, 2009)",
                new SystemCapability.Hardware("QEMU", "pc-q35-8.2", "SN-42", "3f0a1c2e-0000-4000-8000-000000000001"),
                new SystemCapability.Firmware("SeaBIOS", "1.16.3-debian-1.16.3-2", "04/01/2014")));
    }

    @Test
    void rootOnlySerialAndUuidAreAbsentWhenUnreadableAndBlanksToo() {
        // product_serial and product_uuid are mode 0400: a directory stands in for the EACCES a user gets
        dmiHost()
                .file(DMI + "product_name", "ThinkPad X1\n")
                .file(DMI + "sys_vendor", "LENOVO\n")
                .file(DMI + "product_version", "   \n")
                .dir(DMI + "product_serial")
                .dir(DMI + "product_uuid");
        assertThat(system()).isEqualTo(SystemCapability.of("ThinkPad X1",
                new SystemCapability.Hardware("LENOVO", null, null, null), null));
    }

    @Test
    void placeholdersAreKeptRawForReadersToJudge() {
        dmiHost().file(DMI + "product_serial", "To be filled by O.E.M.\n");
        assertThat(system().hardware().serial()).isEqualTo("To be filled by O.E.M.");
    }

    @Test
    void aHostWithoutDmiHasAnEmptySystemCapability() {
        assertThat(system()).isEqualTo(SystemCapability.of(null, null, null));
    }
}
