package io.hostdev.probes.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

import java.util.List;

/**
 * The part of systemd's D-Bus API (org.freedesktop.systemd1(5)) that {@link SystemdSource} uses.
 * Public because dbus-java builds proxies of it and test fixtures export it.
 */
public final class SystemdInterfaces {

    private SystemdInterfaces() {
    }

    /** {@code org.freedesktop.systemd1.Manager} on {@code /org/freedesktop/systemd1}. */
    @DBusInterfaceName("org.freedesktop.systemd1.Manager")
    @SuppressWarnings("checkstyle:methodname")
    public interface Manager extends DBusInterface {

        /** All loaded units ({@code a(ssssssouso)}). */
        List<UnitStatus> ListUnits();

        /** systemd 230+: units filtered by state (empty = any) and glob patterns. */
        List<UnitStatus> ListUnitsByPatterns(List<String> states, List<String> patterns);

        /** Without a subscriber systemd emits no UnitNew/UnitRemoved. */
        void Subscribe();

        /** {@code UnitNew(s id, o unit)}. */
        class UnitNew extends DBusSignal {
            private final String id;

            public UnitNew(String path, String id, DBusPath unit) throws DBusException {
                super(path, id, unit);
                this.id = id;
            }

            public String id() {
                return id;
            }
        }

        /** {@code UnitRemoved(s id, o unit)}. */
        class UnitRemoved extends DBusSignal {
            private final String id;

            public UnitRemoved(String path, String id, DBusPath unit) throws DBusException {
                super(path, id, unit);
                this.id = id;
            }

            public String id() {
                return id;
            }
        }
    }

    /** {@code org.freedesktop.systemd1.Device}: only its name is used (for Properties.GetAll). */
    public static final String DEVICE = "org.freedesktop.systemd1.Device";

    /** {@code org.freedesktop.systemd1.Unit}: ActiveState, SubState. */
    public static final String UNIT = "org.freedesktop.systemd1.Unit";

    /**
     * One row of ListUnits: name, description, load state, active state, sub state, followed unit,
     * unit object path, job id, job type, job object path.
     */
    public static final class UnitStatus extends Struct {
        @Position(0)
        public final String name;
        @Position(1)
        public final String description;
        @Position(2)
        public final String loadState;
        @Position(3)
        public final String activeState;
        @Position(4)
        public final String subState;
        @Position(5)
        public final String following;
        @Position(6)
        public final DBusPath unitPath;
        @Position(7)
        public final UInt32 jobId;
        @Position(8)
        public final String jobType;
        @Position(9)
        public final DBusPath jobPath;

        @SuppressWarnings("checkstyle:parameternumber")
        public UnitStatus(String name, String description, String loadState, String activeState, String subState,
                String following, DBusPath unitPath, UInt32 jobId, String jobType, DBusPath jobPath) {
            this.name = name;
            this.description = description;
            this.loadState = loadState;
            this.activeState = activeState;
            this.subState = subState;
            this.following = following;
            this.unitPath = unitPath;
            this.jobId = jobId;
            this.jobType = jobType;
            this.jobPath = jobPath;
        }
    }
}
