package io.hostdev.probes.oshi;

import io.hostdev.model.cap.SystemCapability;

import java.util.List;

/**
 * What one OSHI read found, every "unknown" already turned into null ({@link OshiProbe}); how it
 * lands on the device tree is {@link OshiOverlay}'s business.
 *
 * @param system      the computer's identity (SMBIOS type 1)
 * @param firmware    the BIOS or UEFI firmware (SMBIOS type 0)
 * @param baseboard   the mainboard (SMBIOS type 2); null when OSHI knew none of its fields
 * @param memory      the memory modules (SMBIOS type 17), as OSHI lists them; empty when unknown
 * @param sensors     CPU temperature, fans, CPU voltage; null when OSHI read none
 * @param memoryTotal the memory the kernel manages, bytes (OSHI's {@code GlobalMemory}, from {@code sysinfo(2)}):
 *                    not laid on the tree (the capabilities document has memory per NUMA cell), but the one
 *                    value OSHI reads on any Linux host, so it shows a read worked where DMI is missing
 */
public record OshiFacts(Identity system, Firmware firmware, SystemCapability.Baseboard baseboard,
                        List<SystemCapability.MemoryModule> memory, SystemCapability.Sensors sensors,
                        Long memoryTotal) {

    /** Nothing known: OSHI failed throughout, or was not asked. */
    public static final OshiFacts NONE = new OshiFacts(null, null, null, List.of(), null, null);

    public OshiFacts {
        memory = memory == null ? List.of() : List.copyOf(memory);
    }

    /**
     * The computer's identity as OSHI reports it.
     *
     * @param manufacturer DMI {@code sys_vendor}
     * @param product      DMI {@code product_name}
     * @param version      DMI {@code product_version}
     * @param serial       DMI {@code product_serial} (OSHI falls back to the board's serial when it has none)
     * @param uuid         DMI {@code product_uuid}
     */
    public record Identity(String manufacturer, String product, String version, String serial, String uuid) {

        boolean isEmpty() {
            return manufacturer == null && product == null && version == null && serial == null && uuid == null;
        }
    }

    /**
     * The firmware as OSHI reports it.
     *
     * @param manufacturer DMI {@code bios_vendor}
     * @param version      DMI {@code bios_version}
     * @param releaseDate  DMI {@code bios_date}, in the form OSHI gives it ({@code YYYY-MM-DD} on Linux)
     */
    public record Firmware(String manufacturer, String version, String releaseDate) {

        boolean isEmpty() {
            return manufacturer == null && version == null && releaseDate == null;
        }
    }

    /** Whether anything here goes onto the device tree: when not, the {@code oshi} source contributes nothing. */
    public boolean knowsAnything() {
        return (system != null && !system.isEmpty()) || (firmware != null && !firmware.isEmpty())
                || baseboard != null || !memory.isEmpty() || sensors != null;
    }
}
