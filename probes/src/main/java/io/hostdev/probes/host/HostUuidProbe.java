package io.hostdev.probes.host;

import io.hostdev.probes.HostFiles;
import io.hostdev.probes.Probe;
import io.hostdev.probes.SysfsValues;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The host's UUID ({@code host.uuid}): the firmware's system UUID from DMI,
 * {@code sys/class/dmi/id/product_uuid} (an attribute of drivers/firmware/dmi-id.c, from the SMBIOS
 * System Information structure that Documentation/ABI/testing/sysfs-firmware-dmi-tables
 * describes), else the systemd machine id {@code etc/machine-id}
 * (machine-id(5)) written as a UUID. {@code product_uuid} is readable by root only, so an agent
 * running unprivileged reports the machine id; {@link HostUuid#source()} says which one it is.
 *
 * <p>libvirt, which has no machine-id fallback, makes up a random UUID on hosts without DMI
 * (most VMs without SMBIOS, many ARM boards) that changes with every daemon start; the machine id
 * stays the same for the life of the installation.
 */
public final class HostUuidProbe implements Probe<HostUuidProbe.HostUuid> {

    public static final String ID = "host.uuid";

    public static final String DMI = "dmi";
    public static final String MACHINE_ID = "machine-id";

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern MACHINE_ID_FORMAT = Pattern.compile("[0-9a-f]{32}");

    /** A UUID in lower-case 8-4-4-4-12 form and where it came from ({@link #DMI} or {@link #MACHINE_ID}). */
    public record HostUuid(String uuid, String source) {
    }

    @Override
    public String id() {
        return ID;
    }

    /** The UUID, or {@code null} when neither source gives a usable one. */
    @Override
    public HostUuid probe(HostFiles files) {
        String dmi = dmiUuid(files.read(files.root().sys().resolve("class").resolve("dmi").resolve("id")
                .resolve("product_uuid")));
        if (dmi != null) {
            return new HostUuid(dmi, DMI);
        }
        String machineId = machineIdUuid(files.read(files.root().etc().resolve("machine-id")));
        return machineId == null ? null : new HostUuid(machineId, MACHINE_ID);
    }

    /**
     * The DMI UUID in lower case, or absent when it is not a UUID or is a firmware placeholder:
     * one byte repeated throughout, such as all zeros or all {@code FF} (SMBIOS reserves these
     * for "not present" and "not set"), which libvirt rejects the same way.
     */
    static String dmiUuid(String raw) {
        String s = SysfsValues.text(raw);
        if (s == null || !UUID.matcher(s).matches()) {
            return null;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        return placeholder(lower.replace("-", "")) ? null : lower;
    }

    /**
     * {@code etc/machine-id} (32 lower-case hex digits and a newline) as 8-4-4-4-12, or absent
     * when it is anything else: {@code uninitialized} on a first boot, empty in an image, or a
     * placeholder of one repeated byte.
     */
    static String machineIdUuid(String raw) {
        String s = SysfsValues.text(raw);
        if (s == null || !MACHINE_ID_FORMAT.matcher(s).matches() || placeholder(s)) {
            return null;
        }
        return s.substring(0, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16) + "-"
                + s.substring(16, 20) + "-" + s.substring(20);
    }

    /** 32 hex digits that are one byte sixteen times. */
    private static boolean placeholder(String hex) {
        for (int i = 2; i < hex.length(); i += 2) {
            if (hex.charAt(i) != hex.charAt(0) || hex.charAt(i + 1) != hex.charAt(1)) {
                return false;
            }
        }
        return true;
    }
}
