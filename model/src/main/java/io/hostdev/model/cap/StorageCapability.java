package io.hostdev.model.cap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * A block device: a disk, a partition, a loop or zram device, an NVMe namespace, a
 * device-mapper or md device. {@code size} is in bytes.
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
        String backingFile) implements Capability {

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
