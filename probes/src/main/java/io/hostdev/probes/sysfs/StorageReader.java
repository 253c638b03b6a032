package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.StorageCapability;
import io.hostdev.model.cap.StorageCapability.Kind;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code storage} capability ({@code sysfs.block}) of every member of {@code sys/class/block}:
 * disks and partitions, loop, zram, NVMe namespaces, device-mapper, md and CD-ROM devices. Files
 * read (kernel ABI Documentation/ABI/testing/sysfs-block, sysfs-block-loop and sysfs-block-zram;
 * the SCSI device's and NVMe controller's attributes seen through {@code device/} have no ABI
 * document, their format is that of drivers/scsi/scsi_sysfs.c and drivers/nvme/host/sysfs.c):
 * <ul>
 *   <li>in the block directory: {@code size} (always 512-byte sectors), {@code ro},
 *       {@code removable}, {@code queue/logical_block_size}, {@code queue/rotational},
 *       {@code partition}, {@code serial} (virtio-blk), {@code wwid} (NVMe), {@code loop/backing_file};</li>
 *   <li>through {@code device/} for a SCSI disk: {@code type}, {@code vendor}, {@code model},
 *       {@code wwid}, {@code vpd_pg80}; for an NVMe namespace: the controller's (or subsystem's)
 *       {@code model} and {@code serial}.</li>
 * </ul>
 * A partition has no {@code queue/} and no {@code removable}: those come from its disk, the
 * enclosing device. Model, vendor, serial and wwn describe the disk and are not repeated on its
 * partitions. The directory is listed once; optional files are read only when listed.
 */
final class StorageReader implements CapabilityReader {

    static final String ID = "sysfs.block";

    /** {@code size} counts 512-byte sectors whatever the device's block size (include/linux/blk_types.h SECTOR_SHIFT). */
    static final long SECTOR_BYTES = 512;

    /** SCSI peripheral device type 5: CD/DVD (SPC-3 table 83). */
    static final int SCSI_TYPE_ROM = 5;

    /** VPD page 0x80, Unit Serial Number (SPC-3 7.6.10). */
    private static final int VPD_PAGE_SERIAL = 0x80;
    private static final int VPD_HEADER = 4;
    private static final int VPD_CAP = 4096;

    private static final Pattern LOOP = Pattern.compile("loop\\d+");
    private static final Pattern ZRAM = Pattern.compile("zram\\d+");
    private static final Pattern CDROM = Pattern.compile("sr\\d+");
    /** {@code nvme0n1}, and the hidden per-path {@code nvme0c1n1} of native multipath. */
    private static final Pattern NVME_NAMESPACE = Pattern.compile("nvme\\d+(c\\d+)?n\\d+");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String subsystem() {
        return "block";
    }

    @Override
    public StorageCapability read(SysfsDevice device, ScanContext context) {
        HostFiles files = context.files();
        Set<String> names = new HashSet<>(files.list(device.dir()));
        SysfsDevice parent = context.parentDevice(device);
        String parentSubsystem = parent == null ? null : parent.subsystem();
        boolean scsi = "scsi".equals(parentSubsystem) && names.contains("device");
        Integer scsiType = scsi
                ? SysfsValues.decimalOrHexInt(files.read(device.attr("device").resolve("type"))) : null;
        Kind kind = kind(device.sysname(), device.devtype(), names, parentSubsystem, scsiType);

        Long size = sizeInBytes(files.read(device.attr("size")));
        Boolean readOnly = SysfsValues.flag(files.read(device.attr("ro")));

        // queue/ and removable describe the disk; a partition answers with its disk's
        SysfsDevice disk = device;
        if (kind == Kind.PARTITION) {
            disk = parent != null && "block".equals(parentSubsystem) ? parent : null;
        }
        Integer logicalBlockSize = null;
        Boolean removable = null;
        Boolean rotational = null;
        if (disk != null) {
            Path queue = disk.attr("queue");
            logicalBlockSize = positiveInt(files.read(queue.resolve("logical_block_size")));
            rotational = SysfsValues.flag(files.read(queue.resolve("rotational")));
            removable = SysfsValues.flag(files.read(disk.attr("removable")));
        }

        Integer partition = kind == Kind.PARTITION ? positiveInt(files.read(device.attr("partition"))) : null;
        String backingFile = names.contains("loop")
                ? printableText(files.read(device.attr("loop").resolve("backing_file"))) : null;

        String model = null;
        String vendor = null;
        String serial = null;
        String wwn = null;
        if (kind != Kind.PARTITION) {
            if (names.contains("serial")) {
                serial = printableText(files.read(device.attr("serial")));
            }
            if (names.contains("wwid")) {
                wwn = printableText(files.read(device.attr("wwid")));
            }
            if (scsi) {
                Path scsiDevice = device.attr("device");
                vendor = printableText(files.read(scsiDevice.resolve("vendor")));
                model = printableText(files.read(scsiDevice.resolve("model")));
                if (wwn == null) {
                    wwn = printableText(files.read(scsiDevice.resolve("wwid")));
                }
                if (serial == null) {
                    serial = parseVpdSerial(files.readBytes(scsiDevice.resolve("vpd_pg80"), VPD_CAP));
                }
            } else if (kind == Kind.NVME_NAMESPACE && names.contains("device")) {
                Path controller = device.attr("device");
                model = printableText(files.read(controller.resolve("model")));
                if (serial == null) {
                    serial = printableText(files.read(controller.resolve("serial")));
                }
            }
        }
        return new StorageCapability(kind, context.devnode(device), size, logicalBlockSize, removable, rotational,
                readOnly, model, vendor, serial, wwn, partition, backingFile, null, null, null);
    }

    /**
     * The first rule that matches decides (documented in docs/net-and-storage.md):
     * partition by DEVTYPE (or a {@code partition} attribute when uevent was unreadable); loop by
     * its {@code loop/} directory, which only a bound loop device has, or its name; zram by name;
     * device-mapper and md by their {@code dm/} and {@code md/} directories; an NVMe namespace by
     * name under an NVMe parent or with an {@code nsid}; a CD-ROM by the sr name or SCSI type 5;
     * every other block device is a disk.
     *
     * @param scsiType the SCSI peripheral type of the disk's SCSI device, or {@code null}
     */
    static Kind kind(String sysname, String devtype, Set<String> names, String parentSubsystem, Integer scsiType) {
        if ("partition".equals(devtype) || (devtype == null && names.contains("partition"))) {
            return Kind.PARTITION;
        }
        if (names.contains("loop") || LOOP.matcher(sysname).matches()) {
            return Kind.LOOP;
        }
        if (ZRAM.matcher(sysname).matches()) {
            return Kind.ZRAM;
        }
        if (names.contains("dm")) {
            return Kind.DEVICE_MAPPER;
        }
        if (names.contains("md")) {
            return Kind.MD;
        }
        if (NVME_NAMESPACE.matcher(sysname).matches()
                && (names.contains("nsid") || "nvme".equals(parentSubsystem)
                        || "nvme-subsystem".equals(parentSubsystem))) {
            return Kind.NVME_NAMESPACE;
        }
        if (CDROM.matcher(sysname).matches() || (scsiType != null && scsiType == SCSI_TYPE_ROM)) {
            return Kind.CDROM;
        }
        return Kind.DISK;
    }

    /**
     * {@code size} in 512-byte sectors, as bytes. 0 is a real size (an unbound loop device, an
     * unconfigured zram, an empty CD drive); negative, overflowing or non-numeric is absent.
     */
    static Long sizeInBytes(String text) {
        Long sectors = SysfsValues.decimalOrHex(text);
        if (sectors == null || sectors < 0 || sectors > Long.MAX_VALUE / SECTOR_BYTES) {
            return null;
        }
        return sectors * SECTOR_BYTES;
    }

    /** A count or size that is only meaningful above zero (block size, partition number). */
    static Integer positiveInt(String text) {
        Integer v = SysfsValues.decimalOrHexInt(text);
        return v == null || v <= 0 ? null : v;
    }

    /**
     * A text attribute, stripped of the space padding SCSI INQUIRY and NVMe identify strings carry.
     * Blank, or holding control characters or undecodable bytes (garbage, not a name), is absent.
     */
    static String printableText(String value) {
        String s = SysfsValues.text(value);
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\uFFFD') {
                return null;
            }
        }
        return s;
    }

    /**
     * The product serial number from a raw {@code vpd_pg80}: byte 1 is the page code 0x80, bytes
     * 2–3 the big-endian length of the ASCII serial that follows the 4-byte header. Read leniently:
     * a length beyond the data is cut to the data, and the serial's space and NUL padding is
     * stripped. Absent when the page is short, is another page, or the serial is blank or not
     * printable ASCII.
     */
    static String parseVpdSerial(byte[] page) {
        if (page == null || page.length < VPD_HEADER || (page[1] & 0xff) != VPD_PAGE_SERIAL) {
            return null;
        }
        int length = ((page[2] & 0xff) << 8) | (page[3] & 0xff);
        int end = Math.min(page.length, VPD_HEADER + length);
        int start = VPD_HEADER;
        while (start < end && (page[start] == ' ' || page[start] == 0)) {
            start++;
        }
        while (end > start && (page[end - 1] == ' ' || page[end - 1] == 0)) {
            end--;
        }
        if (start == end) {
            return null;
        }
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            int b = page[i] & 0xff;
            if (b < 0x20 || b > 0x7e) {
                return null;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }
}
