package io.hostdev.model.cap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;
import java.util.Locale;

/**
 * A network interface, from {@code sys/class/net/IFACE} (kernel ABI sysfs-class-net). Virtual
 * devices carry the structure HAL never had: bridge ports, bond slaves and mode, VLAN id, veth
 * peer, the lower device of stacked links, and the master of enslaved ports.
 */
public record NetCapability(
        @JsonProperty("interface") String interfaceName,
        String address,
        Integer ifindex,
        Integer mtu,
        Link link,
        Kind kind,
        String master,
        String lower,
        Bridge bridge,
        Bond bond,
        Vlan vlan,
        Veth veth) implements Capability {

    public static final String TYPE = "net";

    /** {@code operstate} and, when the driver knows it, speed in Mbit/s. */
    public record Link(String state, Long speed) {
    }

    public record Bridge(List<String> ports) {
        public Bridge {
            ports = ports == null ? List.of() : List.copyOf(ports);
        }
    }

    /** {@code mode} is the bonding driver's name for it, e.g. {@code active-backup}. */
    public record Bond(String mode, List<String> slaves) {
        public Bond {
            slaves = slaves == null ? List.of() : List.copyOf(slaves);
        }
    }

    public record Vlan(Integer id) {
    }

    /**
     * The peer's interface name when it is in this namespace, otherwise only its ifindex (which
     * numbers interfaces of the peer's namespace).
     */
    public record Veth(String peer, Integer peerIfindex) {
    }

    /** What kind of link this is; {@code physical} means backed by a bus device. */
    public enum Kind {
        PHYSICAL, LOOPBACK, BRIDGE, BOND, VLAN, VETH, MACVLAN, MACVTAP, IPVLAN, TUN, TAP, WIRELESS, VIRTUAL;

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
