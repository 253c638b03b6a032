package io.hostdev.model.cap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * A block device: a disk, a partition, a loop or zram device, an NVMe namespace, a
 * device-mapper or md device. {@code size} is in bytes.
 *
 * <p>The last three fields are facts sysfs does not have; UDisks2 fills them (docs/dbus.md, "In
 * the agent"):
 *
 * @param media         the medium in the drive as UDisks2 names it ({@code Drive.Media}: {@code thumb},
 *                      {@code flash_sd}, {@code optical_cd}...); null when UDisks2 names none
 * @param rotationRate  revolutions per minute of a rotating disk whose rate is known; null when not
 *                      rotating or unknown ({@code rotational} tells which)
 * @param connectionBus how the drive is attached as UDisks2 sees it ({@code usb}, {@code sdio},
 *                      {@code ieee1394}); null when UDisks2 names none
 */
public record StorageCapability(
        Kind kind,
        String block,
        Long size,
        Integer logicalBlockSize,
        Boolean removable,
        Boolean rotational,
        Boolean readOnly,
        String model,
        String vendor,
        String serial,
        String wwn,
        Integer partition,
        String backingFile,
        String media,
        Integer rotationRate,
        String connectionBus) implements Capability {

    public static final String TYPE = "storage";

    public enum Kind {
        DISK, PARTITION, LOOP, ZRAM, NVME_NAMESPACE, DEVICE_MAPPER, MD, CDROM;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind of(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
