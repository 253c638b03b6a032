package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.ScsiCapability;
import io.hostdev.model.cap.ScsiHostCapability;
import io.hostdev.model.cap.ScsiTargetCapability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SCSI hosts, targets and logical units ({@code sysfs.scsi}), the members of
 * {@code sys/bus/scsi/devices} (kernel ABI: Documentation/ABI/testing/sysfs-bus-scsi and
 * sysfs-class-scsi_host). Their addresses come from the names the kernel gives them
 * ({@code hostH}, {@code targetH:C:T}, {@code H:C:T:L}); a name that does not parse leaves the
 * device generic rather than half-typed.
 *
 * <p>A host reads {@code unique_id} and {@code proc_name} from its class device
 * {@code hostH/scsi_host/hostH}; a logical unit reads {@code type}, {@code vendor}, {@code model} and
 * {@code rev}. The class devices inside ({@code scsi_host}, {@code scsi_device}, {@code scsi_disk},
 * {@code bsg}) are other subsystems.
 */
final class ScsiReader implements CapabilityReader {

    static final String ID = "sysfs.scsi";

    /**
     * SPC peripheral device type → short name (the names libvirt uses where it has one). 0x0a and
     * 0x0b are obsolete; 0x1f means "no device type" and so has no name.
     */
    static final Map<Integer, String> PERIPHERAL_TYPES = Map.ofEntries(
            Map.entry(0x00, "disk"),
            Map.entry(0x01, "tape"),
            Map.entry(0x02, "printer"),
            Map.entry(0x03, "processor"),
            Map.entry(0x04, "worm"),
            Map.entry(0x05, "cdrom"),
            Map.entry(0x06, "scanner"),
            Map.entry(0x07, "mod"),
            Map.entry(0x08, "changer"),
            Map.entry(0x09, "comm"),
            Map.entry(0x0c, "raid"),
            Map.entry(0x0d, "enclosure"),
            Map.entry(0x0e, "rbc"),
            Map.entry(0x0f, "ocrw"),
            Map.entry(0x10, "bridge"),
            Map.entry(0x11, "osd"),
            Map.entry(0x12, "adc"),
            Map.entry(0x14, "zbc"),
            Map.entry(0x1e, "wlun"));

    /** The peripheral device type is a 5-bit field of the INQUIRY data. */
    private static final int MAX_TYPE = 0x1f;

    /** The kernel's names hold decimal numbers without padding or sign ({@code \d} is ASCII only). */
    private static final Pattern HOST_NAME = Pattern.compile("host(\\d+)");
    private static final Pattern TARGET_NAME = Pattern.compile("target(\\d+):(\\d+):(\\d+)");
    private static final Pattern DEVICE_NAME = Pattern.compile("(\\d+):(\\d+):(\\d+):(\\d+)");

    enum Kind { HOST, TARGET, DEVICE }

    /** A parsed {@code H:C:T:L} or, without the LUN, {@code targetH:C:T}. */
    record Address(int host, int channel, int target, long lun) {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String subsystem() {
        return "scsi";
    }

    @Override
    public Capability read(SysfsDevice device, ScanContext context) {
        Kind kind = kind(device.devtype(), device.sysname());
        if (kind == null) {
            return null;
        }
        HostFiles files = context.files();
        return switch (kind) {
            case HOST -> readHost(device, files);
            case TARGET -> readTarget(device);
            case DEVICE -> readDevice(device, files);
        };
    }

    private static ScsiHostCapability readHost(SysfsDevice d, HostFiles files) {
        Integer host = hostNumber(d.sysname());
        if (host == null) {
            return null;
        }
        Path classDir = d.dir().resolve("scsi_host").resolve(d.sysname());
        return new ScsiHostCapability(host, uniqueId(files.read(classDir.resolve("unique_id"))),
                SysfsValues.text(files.read(classDir.resolve("proc_name"))));
    }

    private static ScsiTargetCapability readTarget(SysfsDevice d) {
        Address a = target(d.sysname());
        return a == null ? null : new ScsiTargetCapability(d.sysname(), a.host(), a.channel(), a.target());
    }

    private static ScsiCapability readDevice(SysfsDevice d, HostFiles files) {
        Address a = address(d.sysname());
        if (a == null) {
            return null;
        }
        Integer type = peripheralType(files.read(d.attr("type")));
        return new ScsiCapability(a.host(), a.channel(), a.target(), a.lun(), type, peripheralKind(type),
                SysfsValues.text(files.read(d.attr("vendor"))),
                SysfsValues.text(files.read(d.attr("model"))),
                SysfsValues.text(files.read(d.attr("rev"))));
    }

    /** {@code DEVTYPE} decides when present; without it, the shape of the kernel's name. */
    static Kind kind(String devtype, String sysname) {
        if (devtype != null) {
            return switch (devtype) {
                case "scsi_host" -> Kind.HOST;
                case "scsi_target" -> Kind.TARGET;
                case "scsi_device" -> Kind.DEVICE;
                default -> null;
            };
        }
        if (hostNumber(sysname) != null) {
            return Kind.HOST;
        }
        if (target(sysname) != null) {
            return Kind.TARGET;
        }
        return address(sysname) != null ? Kind.DEVICE : null;
    }

    /** {@code hostH} → H. */
    static Integer hostNumber(String sysname) {
        Matcher m = match(HOST_NAME, sysname);
        return m == null ? null : SysfsValues.decimalInt(m.group(1));
    }

    /** {@code targetH:C:T} → H, C, T (LUN 0). */
    static Address target(String sysname) {
        Matcher m = match(TARGET_NAME, sysname);
        return m == null ? null : address(m, 0L);
    }

    /**
     * {@code H:C:T:L} → its four numbers. The kernel prints the LUN as an unsigned 64-bit number;
     * LUNs above 2^63-1 do not fit the model's {@code long} and make the name unparseable.
     */
    static Address address(String sysname) {
        Matcher m = match(DEVICE_NAME, sysname);
        return m == null ? null : address(m, SysfsValues.decimal(m.group(4)));
    }

    /** Host, channel and target from the first three groups; any number too large for the model is no address. */
    private static Address address(Matcher m, Long lun) {
        Integer h = SysfsValues.decimalInt(m.group(1));
        Integer c = SysfsValues.decimalInt(m.group(2));
        Integer t = SysfsValues.decimalInt(m.group(3));
        return h == null || c == null || t == null || lun == null ? null : new Address(h, c, t, lun);
    }

    private static Matcher match(Pattern pattern, String sysname) {
        if (sysname == null) {
            return null;
        }
        Matcher m = pattern.matcher(sysname);
        return m.matches() ? m : null;
    }

    /** {@code unique_id}, an unsigned 32-bit number. */
    static Long uniqueId(String raw) {
        Long v = SysfsValues.decimal(raw);
        return v == null || v > 0xffff_ffffL ? null : v;
    }

    /** The {@code type} attribute: the SPC peripheral device type, 0 to 0x1f. */
    static Integer peripheralType(String raw) {
        Integer t = SysfsValues.decimalInt(raw);
        return t == null || t > MAX_TYPE ? null : t;
    }

    /** The short name of a peripheral type number, or {@code null} when it has none. */
    static String peripheralKind(Integer type) {
        return type == null ? null : PERIPHERAL_TYPES.get(type);
    }
}
