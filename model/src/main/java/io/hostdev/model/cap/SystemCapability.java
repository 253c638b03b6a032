package io.hostdev.model.cap;

import io.hostdev.model.NaturalOrder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The host itself, the {@code computer} root. Mirrors libvirt's {@code system} capability: DMI
 * product, hardware identity and firmware, each absent when the host has no DMI. Beyond libvirt's,
 * what the {@code oshi} source adds (docs/oshi.md): the baseboard, the memory modules and a few
 * sensor readings; libvirt's XML has no element for them, so its exporter leaves them out.
 *
 * @param product   DMI {@code product_name}
 * @param hardware  the system's identity
 * @param firmware  the BIOS or UEFI firmware
 * @param baseboard the mainboard (SMBIOS type 2)
 * @param memory    the installed memory modules (SMBIOS type 17), sorted by locator; empty when unknown
 * @param sensors   CPU temperature, fan speeds, CPU voltage
 */
public record SystemCapability(String product, Hardware hardware, Firmware firmware, Baseboard baseboard,
                               List<MemoryModule> memory, Sensors sensors) implements Capability {

    public static final String TYPE = "system";

    public SystemCapability {
        memory = sorted(memory);
    }

    /** DMI {@code sys_vendor}, {@code product_version}, {@code product_serial}, {@code product_uuid}. */
    public record Hardware(String vendor, String version, String serial, String uuid) {
    }

    /** DMI {@code bios_vendor}, {@code bios_version}, {@code bios_date}. */
    public record Firmware(String vendor, String version, String releaseDate) {
    }

    /** The mainboard: DMI {@code board_vendor}, {@code board_name}, {@code board_version}, {@code board_serial}. */
    public record Baseboard(String manufacturer, String model, String version, String serial) {
    }

    /**
     * One installed memory module (SMBIOS type 17, "Memory Device").
     *
     * @param locator      where it sits, as the firmware names the slot or bank ({@code "DIMM_A1"}, {@code "BANK 0"})
     * @param size         bytes
     * @param speed        configured speed in MT/s (megatransfers per second), as SMBIOS reports it: 3200 on DDR4-3200
     *                     (older tools print the same number as "MHz")
     * @param manufacturer the module's maker
     * @param type         the technology: {@code DDR4}, {@code DDR5}, {@code LPDDR4}...
     * @param partNumber   the maker's part number
     */
    public record MemoryModule(String locator, Long size, Long speed, String manufacturer, String type,
                               String partNumber) {
    }

    /**
     * Sensor readings, rounded so that jitter between two reads does not read as a change: the CPU
     * temperature to whole degrees Celsius, the CPU voltage to 0.01 V.
     *
     * @param cpuTemperature degrees Celsius
     * @param fanSpeeds      revolutions per minute, one per fan in the order the hardware numbers them
     * @param cpuVoltage     volts
     */
    public record Sensors(Integer cpuTemperature, List<Integer> fanSpeeds, Double cpuVoltage) {

        public Sensors {
            fanSpeeds = fanSpeeds == null ? List.of() : List.copyOf(fanSpeeds);
        }
    }

    /** The capability with what sysfs reads: no baseboard, memory modules or sensors. */
    public static SystemCapability of(String product, Hardware hardware, Firmware firmware) {
        return new SystemCapability(product, hardware, firmware, null, List.of(), null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    private static List<MemoryModule> sorted(List<MemoryModule> modules) {
        if (modules == null || modules.isEmpty()) {
            return List.of();
        }
        List<MemoryModule> out = new ArrayList<>(modules);
        // by slot, naturally (DIMM2 before DIMM10); modules without a locator last, then by size for a stable order
        out.sort(Comparator.comparing(MemoryModule::locator, Comparator.nullsLast(NaturalOrder.INSTANCE))
                .thenComparing(MemoryModule::size, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(m -> String.valueOf(m.partNumber())));
        return List.copyOf(out);
    }
}
