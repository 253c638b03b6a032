package io.hostdev.probes.dbus;

import io.hostdev.probes.dbus.SystemdSource.UnitRow;
import org.freedesktop.dbus.errors.AccessDenied;
import org.freedesktop.dbus.errors.UnknownInterface;
import org.freedesktop.dbus.errors.UnknownMethod;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SystemdSourceTest {

    static final String LO = "/sys/devices/virtual/net/lo";

    @Test
    void onlyDeviceUnitsAreKeptWithTheirSysfsPath() {
        List<UnitRow> rows = List.of(
                new UnitRow("sys-devices-virtual-net-lo.device", "active", "plugged", "/u/lo"),
                new UnitRow("ssh.service", "active", "running", "/u/ssh"),
                new UnitRow(".device", "active", "plugged", "/u/empty"),
                new UnitRow("dev-ttyS0.device", "inactive", "dead", "/u/ttyS0"));
        Map<String, Map<String, ?>> props = Map.of(
                "/u/lo", Map.of("SysFSPath", new Variant<>(LO)),
                "/u/ttyS0", Map.of("SysFSPath", new Variant<>("")));

        SystemdSnapshot snap = SystemdSource.fromUnits(rows, props);

        assertThat(snap.units()).containsOnlyKeys("dev-ttyS0.device", "sys-devices-virtual-net-lo.device");
        assertThat(snap.units().get("sys-devices-virtual-net-lo.device"))
                .isEqualTo(new SystemdDeviceUnit("sys-devices-virtual-net-lo.device", LO, "active", "plugged", "/u/lo"));
        assertThat(snap.units().get("dev-ttyS0.device").sysfsPath()).as("empty SysFSPath is absent").isNull();
    }

    @Test
    void keysAreSysfsPathsAndUnitNamesForUnitsWithout() {
        SystemdSnapshot snap = SystemdSource.fromUnits(List.of(
                new UnitRow("dev-lo.device", "active", "plugged", "/u/a"),
                new UnitRow("sys-devices-virtual-net-lo.device", "active", "plugged", "/u/b"),
                new UnitRow("dev-ttyS0.device", "inactive", "dead", "/u/c")),
                Map.of("/u/a", Map.of("SysFSPath", LO), "/u/b", Map.of("SysFSPath", LO)));

        assertThat(new SystemdSource().keyed(snap)).containsOnlyKeys(LO, "dev-ttyS0.device");
        assertThat(snap.bySysfsPath().get(LO)).extracting(SystemdDeviceUnit::unit)
                .containsExactly("dev-lo.device", "sys-devices-virtual-net-lo.device");
    }

    @Test
    void aUnitWhosePropertiesCouldNotBeReadHasNoSysfsPath() {
        SystemdSnapshot snap = SystemdSource.fromUnits(List.of(new UnitRow("dev-sda.device", null, null, null)), Map.of());

        assertThat(snap.units().get("dev-sda.device")).isEqualTo(new SystemdDeviceUnit("dev-sda.device", null, null,
                null, null));
    }

    @Test
    void onlyAnUnknownMethodOrInterfaceFallsBackToListUnits() {
        assertThat(SystemdSource.isUnknownMethod(new UnknownMethod("no ListUnitsByPatterns"))).isTrue();
        assertThat(SystemdSource.isUnknownMethod(new UnknownInterface("no Manager"))).isTrue();
        assertThat(SystemdSource.isUnknownMethod(new AccessDenied("no"))).isFalse();
        assertThat(SystemdSource.isUnknownMethod(new DBusExecutionException("other"))).isFalse();
    }
}
