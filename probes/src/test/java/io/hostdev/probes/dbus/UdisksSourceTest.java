package io.hostdev.probes.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UdisksSourceTest {

    static final String DRIVE_PATH = "/org/freedesktop/UDisks2/drives/Samsung_SSD_S1";
    static final String SDA_PATH = "/org/freedesktop/UDisks2/block_devices/sda";

    static Map<String, Object> drive() {
        Map<String, Object> p = new HashMap<>();
        p.put("Vendor", new Variant<>(""));
        p.put("Model", new Variant<>("Samsung SSD 860"));
        p.put("Serial", new Variant<>("S1"));
        p.put("WWN", new Variant<>("0x5002538e40000000"));
        p.put("Media", new Variant<>(""));
        p.put("MediaRemovable", new Variant<>(false));
        p.put("Removable", new Variant<>(false));
        p.put("RotationRate", new Variant<>(0));
        p.put("Size", new Variant<>(new UInt64(500107862016L)));
        p.put("ConnectionBus", new Variant<>(""));
        p.put("Id", new Variant<>("Samsung-SSD-860-S1"));
        return p;
    }

    static Map<String, Object> block(String device, String drivePath) {
        Map<String, Object> p = new HashMap<>();
        p.put("Device", new Variant<>(DbusFixtureServices.nulTerminated(device)));
        p.put("PreferredDevice", new Variant<>(DbusFixtureServices.nulTerminated("/dev/disk/by-id/x")));
        p.put("Size", new Variant<>(new UInt64(500107862016L)));
        p.put("Drive", new Variant<>(new DBusPath(drivePath)));
        p.put("IdUUID", new Variant<>(""));
        p.put("IdType", new Variant<>(""));
        p.put("IdLabel", new Variant<>(""));
        return p;
    }

    @Nested
    class FromManagedObjects {

        @Test
        void aBlockIsKeyedByItsDeviceNodeWithItsDriveJoined() {
            Map<Object, Map<String, Map<String, ?>>> objects = new HashMap<>();
            objects.put(new DBusPath(DRIVE_PATH), Map.of(UdisksSource.DRIVE, drive()));
            objects.put(new DBusPath(SDA_PATH), Map.of(UdisksSource.BLOCK, block("/dev/sda", DRIVE_PATH),
                    "org.freedesktop.UDisks2.PartitionTable", Map.of()));

            UdisksSnapshot snap = UdisksSource.fromManagedObjects(objects);

            assertThat(snap.blocks()).containsOnlyKeys("/dev/sda");
            UdisksBlock sda = snap.blocks().get("/dev/sda");
            assertThat(sda).isEqualTo(new UdisksBlock("/dev/sda", "/dev/disk/by-id/x", SDA_PATH, 500107862016L,
                    null, null, null, new UdisksDrive(DRIVE_PATH, "Samsung-SSD-860-S1", null, "Samsung SSD 860", "S1",
                            "0x5002538e40000000", null, false, false, false, null, 500107862016L, null)));
            assertThat(snap.drives()).containsOnlyKeys(DRIVE_PATH);
        }

        @Test
        void aBlockWhoseDriveIsTheRootPathOrUnknownHasNoDrive() {
            Map<Object, Map<String, Map<String, ?>>> objects = new HashMap<>();
            objects.put("/org/freedesktop/UDisks2/block_devices/loop0", Map.of(UdisksSource.BLOCK, block("/dev/loop0", "/")));
            objects.put("/org/freedesktop/UDisks2/block_devices/sdz", Map.of(UdisksSource.BLOCK,
                    block("/dev/sdz", "/org/freedesktop/UDisks2/drives/gone")));

            UdisksSnapshot snap = UdisksSource.fromManagedObjects(objects);

            assertThat(snap.blocks().get("/dev/loop0").drive()).isNull();
            assertThat(snap.blocks().get("/dev/sdz").drive()).isNull();
        }

        @Test
        void aBlockWithoutADeviceOrWithGarbageIsSkippedNotFatal() {
            Map<String, Object> noDevice = block("/dev/sda", "/");
            noDevice.remove("Device");
            Map<String, Object> garbage = new HashMap<>();
            garbage.put("Device", new Variant<>("not bytes"));
            garbage.put("Size", new Variant<>("big"));
            Map<Object, Map<String, Map<String, ?>>> objects = new HashMap<>();
            objects.put("/a", Map.of(UdisksSource.BLOCK, noDevice));
            objects.put("/b", Map.of(UdisksSource.BLOCK, garbage));
            objects.put("/c", new HashMap<>());
            objects.put(3, Map.of(UdisksSource.DRIVE, drive()));

            assertThat(UdisksSource.fromManagedObjects(objects).blocks()).isEmpty();
            assertThat(UdisksSource.fromManagedObjects(null).blocks()).isEmpty();
        }
    }

    @Nested
    class Drive {

        @ParameterizedTest(name = "RotationRate {0} → rotational {1}, rate {2}")
        @CsvSource(nullValues = "null", value = {
                "0, false, null",
                "-1, true, null",
                "7200, true, 7200",
                "null, null, null"})
        void rotationRateIsSplitSoThatNoFieldCarriesMinusOne(Integer raw, Boolean rotational, Integer rate) {
            Map<String, Object> p = drive();
            p.put("RotationRate", raw == null ? null : new Variant<>(raw));

            UdisksDrive d = UdisksSource.drive(DRIVE_PATH, p);

            assertThat(d.rotational()).isEqualTo(rotational);
            assertThat(d.rotationRate()).isEqualTo(rate);
        }

        @Test
        void aZeroSizeMeansNoMediaAndIsAbsent() {
            Map<String, Object> p = drive();
            p.put("Size", new Variant<>(new UInt64(0)));
            p.put("Media", new Variant<>("optical_cd"));
            p.put("MediaRemovable", new Variant<>(true));

            UdisksDrive d = UdisksSource.drive(DRIVE_PATH, p);

            assertThat(d.size()).isNull();
            assertThat(d.media()).isEqualTo("optical_cd");
            assertThat(d.mediaRemovable()).isTrue();
        }
    }
}
