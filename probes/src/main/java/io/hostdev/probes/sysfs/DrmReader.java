package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.Capability;
import io.hostdev.model.cap.DrmCapability;
import io.hostdev.probes.SysfsValues;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DRM device nodes and connectors ({@code sysfs.drm}), the members of {@code sys/class/drm}
 * (kernel ABI: Documentation/ABI/testing/sysfs-class-drm). The kind comes from the node's name:
 * {@code cardN} is the primary node, {@code renderDN} the render node, {@code controlDN} the
 * (long obsolete) control node, and {@code cardN-NAME} a display connector, which also reads
 * {@code status} and {@code enabled}. Other members are left generic.
 */
final class DrmReader implements CapabilityReader {

    static final String ID = "sysfs.drm";

    static final String PRIMARY = "primary";
    static final String RENDER = "render";
    static final String CONTROL = "control";
    static final String CONNECTOR = "connector";

    private static final Pattern CARD = Pattern.compile("card\\d+");
    private static final Pattern RENDER_NODE = Pattern.compile("renderD\\d+");
    private static final Pattern CONTROL_NODE = Pattern.compile("controlD\\d+");
    private static final Pattern CONNECTOR_NODE = Pattern.compile("card\\d+-(.+)");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String subsystem() {
        return "drm";
    }

    @Override
    public Capability read(SysfsDevice device, ScanContext context) {
        String kind = kind(device.sysname());
        if (kind == null) {
            return null;
        }
        if (!CONNECTOR.equals(kind)) {
            return DrmCapability.node(kind);
        }
        return new DrmCapability(kind, connectorName(device.sysname()),
                status(context.files().read(device.attr("status"))),
                enabled(context.files().read(device.attr("enabled"))));
    }

    /** The kind of a member of the drm class by its name, libvirt's words for the three node kinds. */
    static String kind(String sysname) {
        if (sysname == null) {
            return null;
        }
        if (CARD.matcher(sysname).matches()) {
            return PRIMARY;
        }
        if (RENDER_NODE.matcher(sysname).matches()) {
            return RENDER;
        }
        if (CONTROL_NODE.matcher(sysname).matches()) {
            return CONTROL;
        }
        return CONNECTOR_NODE.matcher(sysname).matches() ? CONNECTOR : null;
    }

    /** {@code card0-HDMI-A-1} → {@code HDMI-A-1}. */
    static String connectorName(String sysname) {
        if (sysname == null) {
            return null;
        }
        Matcher m = CONNECTOR_NODE.matcher(sysname);
        return m.matches() ? m.group(1) : null;
    }

    /**
     * A connector's {@code status}. {@code unknown} is one of the kernel's three answers (the
     * hardware cannot detect a sink), not a stand-in for a missing value, so it is kept.
     */
    static String status(String raw) {
        String s = SysfsValues.text(raw);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "connected", "disconnected", "unknown" -> s;
            default -> null;
        };
    }

    /** A connector's {@code enabled}: {@code enabled} or {@code disabled}. */
    static Boolean enabled(String raw) {
        String s = SysfsValues.text(raw);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "enabled" -> Boolean.TRUE;
            case "disabled" -> Boolean.FALSE;
            default -> null;
        };
    }
}
