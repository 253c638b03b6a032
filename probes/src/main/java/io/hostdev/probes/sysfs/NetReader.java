package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.NetCapability;
import io.hostdev.model.cap.NetCapability.Kind;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code net} capability ({@code sysfs.net}) of a member of {@code sys/class/net}: identity,
 * link state and the structure of virtual links. Files read, all in the interface directory unless
 * noted (kernel ABI Documentation/ABI/testing/sysfs-class-net; the {@code bonding/} files are
 * described in Documentation/networking/bonding.rst):
 * <ul>
 *   <li>{@code uevent} ({@code INTERFACE}, {@code IFINDEX}, {@code DEVTYPE}), already parsed by the scan;</li>
 *   <li>{@code address}, {@code mtu}, {@code operstate}, {@code speed}, {@code type}, {@code iflink},
 *       {@code tun_flags}, the {@code master} link;</li>
 *   <li>{@code brif/} (bridge ports), {@code bonding/mode} and {@code bonding/slaves};</li>
 *   <li>{@code ROOT/proc/net/vlan/IFACE}, else {@code ROOT/proc/net/vlan/config}, for a VLAN id
 *       (the 8021q driver's proc files, net/8021q/vlanproc.c: sysfs has no VLAN id);</li>
 *   <li>{@code lower_X/address} for a link stacked on X without a devtype (macvlan or ipvlan).</li>
 * </ul>
 * The directory is listed once and optional files are read only when the listing names them:
 * failed opens cost as much as reads and are recorded too. How each kind is recognised is in
 * docs/net-and-storage.md and {@link #kind}.
 */
final class NetReader implements CapabilityReader {

    static final String ID = "sysfs.net";

    /** {@code ARPHRD_ETHER}, {@code ARPHRD_LOOPBACK} from include/uapi/linux/if_arp.h. */
    static final int ARPHRD_ETHER = 1;
    static final int ARPHRD_LOOPBACK = 772;

    /** The kernel prints SPEED_UNKNOWN as -1; some drivers print it as an unsigned 32-bit -1. */
    private static final long SPEED_UNKNOWN_U32 = 4294967295L;

    /** {@code IFF_TUN} and {@code IFF_TAP} from include/uapi/linux/if_tun.h; the low nibble is the type. */
    private static final int IFF_TUN = 0x0001;
    private static final int IFF_TAP = 0x0002;
    private static final int TUN_TYPE_MASK = 0x000f;

    private static final Pattern VID = Pattern.compile("\\bVID:\\s*(\\d{1,4})\\b");
    private static final Pattern HW_ADDRESS = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){0,63}");
    private static final Pattern OPERSTATE = Pattern.compile("[a-z]{1,32}");
    private static final Pattern BOND_MODE = Pattern.compile("[A-Za-z0-9.\\-]+");
    private static final int MAX_VLAN_ID = 4095;
    /** One line of about 40 bytes per VLAN device, 4096 VLANs per lower device. */
    private static final int VLAN_CONFIG_CAP = 256 * 1024;
    /** IFNAMSIZ is 16 bytes with the terminating NUL. */
    private static final int MAX_IFNAME_BYTES = 15;
    private static final String LOWER_PREFIX = "lower_";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String subsystem() {
        return "net";
    }

    @Override
    public NetCapability read(SysfsDevice device, ScanContext context) {
        HostFiles files = context.files();
        Set<String> names = new HashSet<>(files.list(device.dir()));
        String iface = interfaceName(device);
        Integer ifindex = SysfsValues.decimalOrHexInt(device.uevent().get("IFINDEX"));
        if (ifindex == null && names.contains("ifindex")) {
            ifindex = SysfsValues.decimalOrHexInt(files.read(device.attr("ifindex")));
        }
        String address = address(files.read(device.attr("address")));
        Integer mtu = SysfsValues.decimalOrHexInt(files.read(device.attr("mtu")));
        NetCapability.Link link = link(parseOperstate(files.read(device.attr("operstate"))),
                parseSpeed(files.read(device.attr("speed"))));
        String master = names.contains("master") ? files.readLinkName(device.attr("master")) : null;
        List<String> lowers = lowerNames(names);
        Integer iflink = names.contains("iflink")
                ? SysfsValues.decimalOrHexInt(files.read(device.attr("iflink"))) : null;
        Integer type = names.contains("type") ? SysfsValues.decimalOrHexInt(files.read(device.attr("type"))) : null;
        Kind tunKind = names.contains("tun_flags") ? parseTunKind(files.read(device.attr("tun_flags"))) : null;
        // only a stacked link without a devtype needs its lower's address (macvlan or ipvlan)
        String lowerAddress = lowers.isEmpty() || device.devtype() != null ? null
                : address(files.read(device.attr(LOWER_PREFIX + lowers.get(0)).resolve("address")));
        Kind kind = kind(new Markers(device.devtype(), names, tunKind, type, ifindex, iflink, address, lowerAddress,
                !lowers.isEmpty()));

        NetCapability.Bridge bridge = null;
        NetCapability.Bond bond = null;
        NetCapability.Vlan vlan = null;
        NetCapability.Veth veth = null;
        String lower = lowers.isEmpty() ? null : lowers.get(0);
        if (kind == Kind.BRIDGE) {
            bridge = new NetCapability.Bridge(sorted(files.list(device.attr("brif"))));
            lower = null;
        } else if (kind == Kind.BOND) {
            bond = new NetCapability.Bond(parseBondMode(files.read(device.attr("bonding").resolve("mode"))),
                    parseBondSlaves(files.read(device.attr("bonding").resolve("slaves"))));
            lower = null;
        } else if (kind == Kind.VLAN) {
            vlan = new NetCapability.Vlan(vlanId(files, context, iface));
        } else if (kind == Kind.VETH) {
            veth = veth(iflink, ifindex, context);
        }
        return new NetCapability(iface, address, ifindex, mtu, link, kind, master, lower, bridge, bond, vlan, veth);
    }

    /**
     * What the kind rules look at, as read.
     *
     * @param names        the entries of the interface directory
     * @param tunKind      the kind {@code tun_flags} says, {@code null} when absent or unreadable
     * @param type         {@code type}, the ARPHRD_* hardware type
     * @param iflink       {@code iflink}: the ifindex of the device this one sends through
     * @param lowerAddress the address of the first lower device, read only for a stacked link
     *                     without a devtype
     * @param hasLower     whether there is any {@code lower_*} link
     */
    record Markers(String devtype, Set<String> names, Kind tunKind, Integer type, Integer ifindex, Integer iflink,
            String address, String lowerAddress, boolean hasLower) {
    }

    /**
     * The first rule that matches decides; docs/net-and-storage.md says why each marker is trusted.
     * {@code null} for a tun device whose flags are unreadable: it is a tun or a tap, and guessing
     * which would make a value up.
     */
    static Kind kind(Markers m) {
        Kind byDevtype = kindFromDevtype(m.devtype());
        if (byDevtype != null) {
            return byDevtype;
        }
        Set<String> n = m.names();
        if (n.contains("bridge") || n.contains("brif")) {
            return Kind.BRIDGE;
        }
        if (n.contains("bonding")) {
            return Kind.BOND;
        }
        if (n.contains("wireless") || n.contains("phy80211")) {
            return Kind.WIRELESS;
        }
        if (n.contains("tun_flags")) {
            return m.tunKind();
        }
        if (n.contains("macvtap")) {
            return Kind.MACVTAP;
        }
        if (m.type() != null && m.type() == ARPHRD_LOOPBACK) {
            return Kind.LOOPBACK;
        }
        if (n.contains("device")) {
            return Kind.PHYSICAL;
        }
        boolean throughAnother = m.iflink() != null && m.iflink() > 0 && !m.iflink().equals(m.ifindex());
        if (m.hasLower()) {
            // a master of several ports (team, hsr...) links to its lowers but is its own iflink
            if (!throughAnother) {
                return Kind.VIRTUAL;
            }
            return sameAddress(m.address(), m.lowerAddress()) ? Kind.IPVLAN : Kind.MACVLAN;
        }
        if (throughAnother && m.type() != null && m.type() == ARPHRD_ETHER) {
            return Kind.VETH;
        }
        return Kind.VIRTUAL;
    }

    static Kind kindFromDevtype(String devtype) {
        if (devtype == null) {
            return null;
        }
        return switch (devtype) {
            case "bridge" -> Kind.BRIDGE;
            case "bond" -> Kind.BOND;
            case "vlan" -> Kind.VLAN;
            case "wlan" -> Kind.WIRELESS;
            default -> null;
        };
    }

    /**
     * The peer is the device of this namespace whose ifindex is our {@code iflink} and whose own
     * {@code iflink} is our ifindex; both must hold because ifindex numbers are per namespace, so a
     * peer in another namespace has an index that may number an unrelated device here.
     */
    private static NetCapability.Veth veth(Integer iflink, Integer ifindex, ScanContext context) {
        if (iflink == null) {
            return null;
        }
        String peer = null;
        SysfsDevice candidate = context.netDevice(iflink);
        if (candidate != null) {
            Integer back = SysfsValues.decimalOrHexInt(context.files().read(candidate.attr("iflink")));
            if (back != null && back.equals(ifindex)) {
                peer = interfaceName(candidate);
            }
        }
        return new NetCapability.Veth(peer, iflink);
    }

    private static Integer vlanId(HostFiles files, ScanContext context, String iface) {
        Path vlanDir = context.root().proc().resolve("net").resolve("vlan");
        if (!validInterfaceName(iface)) {
            return null;
        }
        Integer id = parseVlanProcFile(files.read(vlanDir.resolve(iface)));
        if (id == null) {
            id = parseVlanConfig(files.read(vlanDir.resolve("config"), VLAN_CONFIG_CAP), iface);
        }
        return id;
    }

    static String interfaceName(SysfsDevice d) {
        String name = d.uevent().get("INTERFACE");
        return name == null || name.isEmpty() ? d.sysname() : name;
    }

    /** The names after {@code lower_} of the directory's {@code lower_*} links, sorted. */
    static List<String> lowerNames(Set<String> listing) {
        List<String> out = new ArrayList<>();
        for (String name : listing) {
            if (name.startsWith(LOWER_PREFIX) && name.length() > LOWER_PREFIX.length()) {
                out.add(name.substring(LOWER_PREFIX.length()));
            }
        }
        Collections.sort(out);
        return out;
    }

    private static NetCapability.Link link(String state, Long speed) {
        return state == null && speed == null ? null : new NetCapability.Link(state, speed);
    }

    /**
     * {@code address}: the hardware address as the kernel prints every kind of it, hex bytes joined
     * by ':' (a MAC, a 20-byte InfiniBand address, a 4-byte tunnel endpoint). A device without one
     * (tun) prints an empty line: absent, like anything that is not such a byte list.
     */
    static String address(String text) {
        String s = SysfsValues.text(text);
        return s != null && HW_ADDRESS.matcher(s).matches() ? s : null;
    }

    /** {@code operstate}: one of the kernel's lowercase words ({@code up}, {@code lowerlayerdown}...). */
    static String parseOperstate(String text) {
        String s = SysfsValues.text(text);
        return s != null && OPERSTATE.matcher(s).matches() ? s : null;
    }

    static boolean sameAddress(String a, String b) {
        return a != null && b != null && a.equalsIgnoreCase(b);
    }

    /**
     * {@code speed} in Mb/s. The kernel answers EINVAL (read as {@code null}) when the link is down
     * and prints -1 when the driver does not know; older drivers print -1 as an unsigned 32-bit
     * 4294967295. All of those, and anything not a number, are absent.
     */
    static Long parseSpeed(String text) {
        Long v = SysfsValues.decimalOrHex(text);
        if (v == null || v < 0 || v == SPEED_UNKNOWN_U32) {
            return null;
        }
        return v;
    }

    /**
     * {@code tun_flags} is printed as hex ({@code 0x1002}); its low nibble says tun or tap.
     * Anything else is absent.
     */
    static Kind parseTunKind(String text) {
        Long flags = SysfsValues.decimalOrHex(text);
        if (flags == null || flags < 0) {
            return null;
        }
        long type = flags & TUN_TYPE_MASK;
        if (type == IFF_TUN) {
            return Kind.TUN;
        }
        if (type == IFF_TAP) {
            return Kind.TAP;
        }
        return null;
    }

    /**
     * {@code bonding/mode} is the mode's name and number, {@code active-backup 1}: the name is kept.
     */
    static String parseBondMode(String text) {
        if (text == null) {
            return null;
        }
        String[] words = text.strip().split("\\s+", 2);
        return BOND_MODE.matcher(words[0]).matches() ? words[0] : null;
    }

    /**
     * {@code bonding/slaves}: space-separated interface names, returned sorted. A word that cannot
     * be an interface name is garbage and left out.
     */
    static List<String> parseBondSlaves(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String word : text.strip().split("\\s+")) {
            if (validInterfaceName(word)) {
                out.add(word);
            }
        }
        return sorted(out);
    }

    /**
     * What the kernel accepts as an interface name (dev_valid_name): 1 to 15 bytes, not {@code .}
     * or {@code ..}, no '/', ':', whitespace or NUL. Control characters and U+FFFD (a byte that was
     * not UTF-8) are refused too: they mark garbage, not a name.
     */
    static boolean validInterfaceName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
                || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_IFNAME_BYTES) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isISOControl(c) || c == '\uFFFD') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code proc/net/vlan/IFACE} starts with {@code IFACE  VID: 100  REORDER_HDR: 1 ...}: the id
     * follows {@code VID:}. Ids above 4095 do not exist: absent.
     */
    static Integer parseVlanProcFile(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = VID.matcher(text);
        return m.find() ? vlanIdOrNull(m.group(1)) : null;
    }

    /**
     * {@code proc/net/vlan/config}: two header lines, then one {@code NAME | VID | LOWER} line per
     * VLAN device, padded with spaces. The id on the line whose first column is {@code iface}.
     */
    static Integer parseVlanConfig(String text, String iface) {
        if (text == null || iface == null) {
            return null;
        }
        for (String line : text.split("\n")) {
            String[] cols = line.split("\\|");
            if (cols.length >= 2 && cols[0].strip().equals(iface)) {
                return vlanIdOrNull(cols[1]);
            }
        }
        return null;
    }

    private static Integer vlanIdOrNull(String text) {
        Integer id = SysfsValues.decimalInt(text);
        return id == null || id > MAX_VLAN_ID ? null : id;
    }

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        Collections.sort(copy);
        return copy;
    }
}
