package io.hostdev.probes.sysfs;

import io.hostdev.model.DeviceTree;
import io.hostdev.model.cap.DrmCapability;
import io.hostdev.probes.testing.FakeSysfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static io.hostdev.probes.sysfs.BusScans.cap;
import static io.hostdev.probes.sysfs.BusScans.device;
import static io.hostdev.probes.sysfs.BusScans.scan;
import static org.assertj.core.api.Assertions.assertThat;

class DrmReaderTest {

    private static final String GPU = "pci0000:00/0000:00:02.0";

    @Nested
    class OnAGpuWithTwoConnectors {

        @TempDir
        Path root;

        DeviceTree tree() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.busDevice(GPU, "pci");
            fs.classDevice(GPU + "/drm/card0", "drm").uevent("DEVTYPE=drm_minor", "DEVNAME=dri/card0");
            fs.classDevice(GPU + "/drm/renderD128", "drm").uevent("DEVTYPE=drm_minor", "DEVNAME=dri/renderD128");
            fs.classDevice(GPU + "/drm/card0/card0-HDMI-A-1", "drm").uevent("DEVTYPE=drm_connector")
                    .attr("status", "connected").attr("enabled", "enabled").attr("dpms", "On");
            fs.classDevice(GPU + "/drm/card0/card0-DP-1", "drm").uevent("DEVTYPE=drm_connector")
                    .attr("status", "disconnected").attr("enabled", "disabled");
            return scan(root);
        }

        @Test
        void nodesGetLibvirtsKindsAndTheirDevnodes() {
            DeviceTree tree = tree();
            assertThat(cap(tree, "drm_card0", DrmCapability.class)).isEqualTo(DrmCapability.node("primary"));
            assertThat(cap(tree, "drm_renderD128", DrmCapability.class)).isEqualTo(DrmCapability.node("render"));
            assertThat(device(tree, "drm_card0").devnodes()).containsExactly("/dev/dri/card0");
        }

        @Test
        void connectorsHangUnderTheirCardWithStatusAndEnabled() {
            DeviceTree tree = tree();
            assertThat(device(tree, "drm_card0_HDMI_A_1").parent()).isEqualTo("drm_card0");
            assertThat(cap(tree, "drm_card0_HDMI_A_1", DrmCapability.class))
                    .isEqualTo(new DrmCapability("connector", "HDMI-A-1", "connected", true));
            assertThat(cap(tree, "drm_card0_DP_1", DrmCapability.class))
                    .isEqualTo(new DrmCapability("connector", "DP-1", "disconnected", false));
        }
    }

    @Nested
    class OnHostileInput {

        @TempDir
        Path root;

        @Test
        void garbageStatusAndEnabledAreAbsent() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.classDevice(GPU + "/drm/card0/card0-eDP-1", "drm")
                    .rawAttr("status", BusScans.GARBAGE).rawAttr("enabled", BusScans.GARBAGE);
            assertThat(cap(scan(root), "drm_card0_eDP_1", DrmCapability.class))
                    .isEqualTo(new DrmCapability("connector", "eDP-1", null, null));
        }

        @Test
        void membersWithOtherNamesStayGeneric() {
            FakeSysfs fs = new FakeSysfs(root);
            fs.classDevice("virtual/drm/ttm", "drm");
            assertThat(device(scan(root), "drm_ttm").capabilityTypes()).containsExactly("generic");
        }
    }

    @Nested
    class Names {
        @ParameterizedTest
        @CsvSource(nullValues = "-", value = {
                "card0, primary",
                "card12, primary",
                "renderD128, render",
                "controlD64, control",
                "card0-HDMI-A-1, connector",
                "card1-Virtual-1, connector",
                "card0-, -",
                "card, -",
                "cardX, -",
                "renderD, -",
                "render128, -",
                "ttm, -",
                "version, -",
                "-, -"})
        void kindFollowsTheNodeName(String name, String kind) {
            assertThat(DrmReader.kind(name)).isEqualTo(kind);
        }

        @ParameterizedTest
        @CsvSource(nullValues = "-", value = {
                "card0-HDMI-A-1, HDMI-A-1",
                "card3-DP-2, DP-2",
                "card0-Writeback-1, Writeback-1",
                "card0, -",
                "renderD128, -",
                "-, -"})
        void connectorNameDropsTheCardPrefix(String name, String connector) {
            assertThat(DrmReader.connectorName(name)).isEqualTo(connector);
        }
    }

    @Nested
    class Values {
        @ParameterizedTest
        @ValueSource(strings = {"connected", "disconnected", "unknown"})
        void theKernelsThreeStatusesAreKept(String status) {
            assertThat(DrmReader.status(status + "\n")).isEqualTo(status);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "Connected", "on", "connected!"})
        void anyOtherStatusIsAbsent(String raw) {
            assertThat(DrmReader.status(raw)).isNull();
        }

        @ParameterizedTest
        @CsvSource(nullValues = "-", value = {"enabled, true", "disabled, false", "' enabled ', true", "On, -",
                "1, -", "'', -"})
        void enabledIsABooleanOrAbsent(String raw, Boolean expected) {
            assertThat(DrmReader.enabled(raw)).isEqualTo(expected);
        }
    }
}
