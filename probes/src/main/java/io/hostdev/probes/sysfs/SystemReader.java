package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.SystemCapability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;

/**
 * The {@code system} capability of {@code computer}, from DMI: {@code product_name},
 * {@code sys_vendor}, {@code product_version}, {@code product_serial}, {@code product_uuid},
 * {@code bios_vendor}, {@code bios_version} and {@code bios_date} in {@code sys/class/dmi/id}
 * (attributes of the kernel's drivers/firmware/dmi-id.c, decoded from the SMBIOS tables that
 * Documentation/ABI/testing/sysfs-firmware-dmi-tables describes). Values are kept raw, firmware
 * placeholders such as "To be filled by O.E.M." included: judging them is for whoever reads them.
 * Hosts without DMI (many VMs, most non-x86 boards) get an empty capability. Serial numbers and the
 * UUID are readable by root only; otherwise absent.
 */
final class SystemReader {

    static final String ID = "sysfs.dmi";

    private SystemReader() {
    }

    static SystemCapability read(ScanContext context) {
        HostFiles files = context.files();
        Path dmi = context.root().sys().resolve("class").resolve("dmi").resolve("id");
        String product = value(files, dmi, "product_name");
        SystemCapability.Hardware hardware = new SystemCapability.Hardware(
                value(files, dmi, "sys_vendor"), value(files, dmi, "product_version"),
                value(files, dmi, "product_serial"), value(files, dmi, "product_uuid"));
        SystemCapability.Firmware firmware = new SystemCapability.Firmware(
                value(files, dmi, "bios_vendor"), value(files, dmi, "bios_version"), value(files, dmi, "bios_date"));
        return SystemCapability.of(product, empty(hardware) ? null : hardware, empty(firmware) ? null : firmware);
    }

    private static String value(HostFiles files, Path dir, String name) {
        return SysfsValues.text(files.read(dir.resolve(name)));
    }

    private static boolean empty(SystemCapability.Hardware h) {
        return h.vendor() == null && h.version() == null && h.serial() == null && h.uuid() == null;
    }

    private static boolean empty(SystemCapability.Firmware f) {
        return f.vendor() == null && f.version() == null && f.releaseDate() == null;
    }
}
