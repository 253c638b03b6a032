package io.hostdev.probes.oshi;

import io.hostdev.model.cap.SystemCapability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.Probe;
import oshi.SystemInfo;
import oshi.hardware.Baseboard;
import oshi.hardware.ComputerSystem;
import oshi.hardware.Firmware;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.PhysicalMemory;
import oshi.hardware.Sensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code oshi} source: what OSHI (github.com/oshi/oshi) knows of the computer that sysfs may
 * not: the SMBIOS identity of system, firmware and baseboard, the memory modules, and the CPU
 * temperature, fan speeds and CPU voltage. On Linux OSHI reads the live host's
 * {@code sys/devices/virtual/dmi/id} (drivers/firmware/dmi-id.c; Documentation/ABI/testing/
 * sysfs-firmware-dmi-tables), forks {@code dmidecode} (system, bios, type 17; root only),
 * {@code lshal} and {@code lshw} where those files are missing, reads {@code sys/class/hwmon}
 * (Documentation/hwmon/sysfs-interface.rst) and {@code sys/class/thermal} for sensors, and calls
 * {@code sysinfo(2)} for the memory total. What it reads and what that costs: docs/oshi.md.
 *
 * <p>OSHI reads through absolute paths of its own, not through {@link HostFiles}: it can only
 * describe the machine this process runs on, so {@link #probe} answers {@link OshiFacts#NONE} for
 * any root but the live one ({@link #isLiveRoot}). Every part is read on its own: a part that
 * fails (an exception, a missing or refused {@code dmidecode}, a native library that does not load)
 * is absent, never an exception out of the probe. Each {@link #read} starts from a new
 * {@code SystemInfo}, because OSHI memoizes what one instance has read.
 */
public final class OshiProbe implements Probe<OshiFacts> {

    public static final String ID = "oshi";

    private static final Logger LOG = Logger.getLogger(OshiProbe.class.getName());

    @Override
    public String id() {
        return ID;
    }

    /** The live host's facts when {@code host} reads the live root; {@link OshiFacts#NONE} for any other root. */
    @Override
    public OshiFacts probe(HostFiles host) {
        return isLiveRoot(host) ? read() : OshiFacts.NONE;
    }

    /** Whether the root is this machine's own: the filesystem root, directly or through links. */
    public static boolean isLiveRoot(HostRoot root) {
        return isLiveRoot(HostFiles.of(root));
    }

    private static boolean isLiveRoot(HostFiles host) {
        Path real = host.realPath(host.root().path());
        return real != null && real.getParent() == null;
    }

    /** Reads the live host through OSHI; never throws. */
    public OshiFacts read() {
        HardwareAbstractionLayer hal = part("hardware", () -> new SystemInfo().getHardware());
        if (hal == null) {
            return OshiFacts.NONE;
        }
        ComputerSystem cs = part("computer system", hal::getComputerSystem);
        OshiFacts.Identity identity = cs == null ? null : part("system identity",
                () -> identity(cs.getManufacturer(), cs.getModel(), cs.getSerialNumber(), cs.getHardwareUUID()));
        Firmware fw = cs == null ? null : part("firmware", cs::getFirmware);
        OshiFacts.Firmware firmware = fw == null ? null : part("firmware",
                () -> firmware(fw.getManufacturer(), fw.getVersion(), fw.getReleaseDate()));
        Baseboard bb = cs == null ? null : part("baseboard", cs::getBaseboard);
        SystemCapability.Baseboard baseboard = bb == null ? null : part("baseboard",
                () -> baseboard(bb.getManufacturer(), bb.getModel(), bb.getVersion(), bb.getSerialNumber()));
        GlobalMemory mem = part("memory", hal::getMemory);
        List<SystemCapability.MemoryModule> modules = mem == null ? null
                : part("memory modules", () -> modules(mem.getPhysicalMemory()));
        Long total = mem == null ? null : part("memory total", () -> OshiValues.positive(mem.getTotal()));
        Sensors s = part("sensors", hal::getSensors);
        SystemCapability.Sensors sensors = s == null ? null : part("sensors",
                () -> sensors(s.getCpuTemperature(), s.getFanSpeeds(), s.getCpuVoltage()));
        return new OshiFacts(identity, firmware, baseboard, modules, sensors, total);
    }

    /**
     * One part of the read; null when OSHI throws. LinkageError too: JNA's native library or one
     * of OSHI's platform classes may fail to load, and that must not end the agent's thread.
     */
    private static <T> T part(String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.FINE, "oshi: " + what + " not read: " + e, e);
            return null;
        }
    }

    /** The identity from OSHI's computer system getters; null when none says anything. */
    static OshiFacts.Identity identity(String manufacturer, String model, String serial, String uuid) {
        String[] productVersion = OshiValues.productAndVersion(model);
        OshiFacts.Identity id = new OshiFacts.Identity(OshiValues.text(manufacturer), productVersion[0],
                productVersion[1], OshiValues.text(serial), uuid(uuid));
        return id.isEmpty() ? null : id;
    }

    /** The firmware from OSHI's getters; null when none says anything. */
    static OshiFacts.Firmware firmware(String manufacturer, String version, String releaseDate) {
        OshiFacts.Firmware fw = new OshiFacts.Firmware(OshiValues.text(manufacturer), OshiValues.text(version),
                OshiValues.text(releaseDate));
        return fw.isEmpty() ? null : fw;
    }

    /** The baseboard from OSHI's getters; null when none says anything. */
    static SystemCapability.Baseboard baseboard(String manufacturer, String model, String version, String serial) {
        SystemCapability.Baseboard b = new SystemCapability.Baseboard(OshiValues.text(manufacturer),
                OshiValues.text(model), OshiValues.text(version), OshiValues.text(serial));
        return b.manufacturer() == null && b.model() == null && b.version() == null && b.serial() == null ? null : b;
    }

    /** The modules OSHI lists, each normalised; a module of which nothing is known is left out. */
    static List<SystemCapability.MemoryModule> modules(List<PhysicalMemory> physical) {
        List<SystemCapability.MemoryModule> out = new ArrayList<>();
        if (physical == null) {
            return out;
        }
        for (PhysicalMemory p : physical) {
            if (p == null) {
                continue;
            }
            SystemCapability.MemoryModule m = new SystemCapability.MemoryModule(OshiValues.text(p.getBankLabel()),
                    OshiValues.positive(p.getCapacity()), OshiValues.megaTransfers(p.getClockSpeed()),
                    OshiValues.text(p.getManufacturer()), OshiValues.text(p.getMemoryType()),
                    OshiValues.text(p.getPartNumber()));
            if (m.locator() != null || m.size() != null || m.speed() != null || m.manufacturer() != null
                    || m.type() != null || m.partNumber() != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** The sensor readings, rounded (whole °C, 0.01 V); null when OSHI has none. */
    static SystemCapability.Sensors sensors(double cpuTemperature, int[] fanSpeeds, double cpuVoltage) {
        SystemCapability.Sensors s = new SystemCapability.Sensors(OshiValues.celsius(cpuTemperature),
                OshiValues.rpm(fanSpeeds), OshiValues.volts(cpuVoltage));
        return s.cpuTemperature() == null && s.fanSpeeds().isEmpty() && s.cpuVoltage() == null ? null : s;
    }

    /**
     * The SMBIOS UUID, lower-cased as the kernel prints {@code product_uuid}; an all-zero or all-F
     * UUID is the firmware saying "not set" (SMBIOS 2.6+, type 1), so absent.
     */
    static String uuid(String text) {
        String t = OshiValues.text(text);
        if (t == null) {
            return null;
        }
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        String digits = lower.replace("-", "");
        if (digits.chars().allMatch(c -> c == '0') || digits.chars().allMatch(c -> c == 'f')) {
            return null;
        }
        return lower;
    }
}
