package io.hostdev.probes.virt;

import io.hostdev.model.host.Guest;
import io.hostdev.model.host.Host;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.Probe;
import io.hostdev.probes.SysfsValues;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Xen hypervisor this host runs on as its control domain (dom0), and the guests it can start
 * ({@code hypervisor.xen}), from {@code sys/hypervisor}: {@code type}, {@code version/major},
 * {@code version/minor}, {@code version/extra}, {@code properties/capabilities} and
 * {@code properties/features} (kernel drivers/xen/sys-hypervisor.c, documented in
 * Documentation/ABI/stable/sysfs-hypervisor-xen).
 *
 * <p>Guests are derived from the capabilities string the way libvirt's legacy Xen driver did:
 * each token {@code (xen|hvm)-MAJOR.MINOR-ARCH[p|be]} is a guest of os type {@code xen}
 * (paravirtual) or {@code hvm}; tokens for the same (os type, arch) merge, their features OR-ed.
 *
 * <p>A domU sees the same {@code sys/hypervisor} files but can start no domains, so the result is
 * empty unless this host is dom0: bit 11 ({@code XENFEAT_dom0}, xen/include/public/features.h) of
 * {@code properties/features}, or {@code control_d} in {@code proc/xen/capabilities} (xenfs) on
 * kernels whose features file lacks it. Whether this host is a Xen guest is
 * {@link VirtualizationProbe}'s question.
 */
public final class XenProbe implements Probe<XenProbe.Result> {

    public static final String ID = "hypervisor.xen";

    private static final System.Logger LOG = System.getLogger(XenProbe.class.getName());

    /** {@code XENFEAT_dom0}: "the guest is the initial domain". */
    private static final int XENFEAT_DOM0 = 11;

    private static final Pattern TOKEN = Pattern.compile(
            "(xen|hvm)-[0-9]+\\.[0-9]+-(x86_32|x86_64|ia64|powerpc64|armv7l|aarch64)(p|be)?");

    private static final Guest.Features.Toggle ON_TOGGLEABLE = new Guest.Features.Toggle(true, true);

    /**
     * Host paths written into the document, never read: Xen's device model (qemu-dm) and the HVM
     * firmware loader, where Xen's packages installed them when libvirt's legacy driver reported
     * them.
     *
     * @param emulatorOnX86_64 the device model on an x86_64 host
     * @param emulator         the device model on any other host
     * @param hvmLoader        the firmware loader of HVM guests
     */
    public record DeviceModel(String emulatorOnX86_64, String emulator, String hvmLoader) {
        /** libvirt's legacy Xen driver's values. */
        public static final DeviceModel DEFAULT = new DeviceModel(
                "/usr/lib64/xen/bin/qemu-dm", "/usr/lib/xen/bin/qemu-dm", "/usr/lib/xen/boot/hvmloader");
    }

    /**
     * What the probe found: the hypervisor and the guests it offers; both absent and empty when
     * this host is not a Xen dom0.
     */
    public record Result(Host.XenHypervisor hypervisor, List<Guest> guests) {
        public static final Result NONE = new Result(null, List.of());

        public Result {
            guests = guests == null ? List.of() : List.copyOf(guests);
        }
    }

    private final String hostArch;
    private final DeviceModel deviceModel;

    /**
     * @param hostArch the host's libvirt arch (from the CPU probe); it chooses the device model
     *                 path, as in libvirt; may be {@code null} when unknown
     */
    public XenProbe(String hostArch) {
        this(hostArch, DeviceModel.DEFAULT);
    }

    public XenProbe(String hostArch, DeviceModel deviceModel) {
        this.hostArch = hostArch;
        this.deviceModel = deviceModel;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Result probe(HostFiles files) {
        HostRoot root = files.root();
        Path hypervisor = root.sys().resolve("hypervisor");
        String type = SysfsValues.text(files.read(hypervisor.resolve("type")));
        if (!"xen".equals(type)) {
            LOG.log(System.Logger.Level.DEBUG, () -> ID + ": no Xen hypervisor (" + hypervisor.resolve("type")
                    + (type == null ? " absent)" : " is " + type + ")"));
            return Result.NONE;
        }
        Path properties = hypervisor.resolve("properties");
        if (!isDom0(files.read(properties.resolve("features")),
                files.read(root.proc().resolve("xen").resolve("capabilities")))) {
            LOG.log(System.Logger.Level.DEBUG, () -> ID + ": a Xen guest, not dom0: no guests to offer");
            return Result.NONE;
        }
        Path version = hypervisor.resolve("version");
        String capabilities = SysfsValues.text(files.read(properties.resolve("capabilities")));
        Host.XenHypervisor xen = new Host.XenHypervisor(type,
                SysfsValues.decimalInt(files.read(version.resolve("major"))),
                SysfsValues.decimalInt(files.read(version.resolve("minor"))),
                SysfsValues.text(files.read(version.resolve("extra"))),
                capabilities);
        return new Result(xen, guests(capabilities, hostArch, deviceModel));
    }

    /**
     * Whether this domain is dom0: {@code XENFEAT_dom0} in {@code properties/features} (the
     * kernel prints the feature words as 8 hex digits each, the lowest word last), or the
     * {@code control_d} token of {@code proc/xen/capabilities}.
     */
    static boolean isDom0(String features, String procXenCapabilities) {
        String hex = SysfsValues.text(features);
        if (hex != null) {
            Long lowWord = SysfsValues.hex(hex.length() > 8 ? hex.substring(hex.length() - 8) : hex);
            if (lowWord != null && (lowWord & (1L << XENFEAT_DOM0)) != 0) {
                return true;
            }
        }
        if (procXenCapabilities != null) {
            for (String token : procXenCapabilities.strip().split("[\\s,]+")) {
                if (token.equals("control_d")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The guests a capabilities string offers, sorted by (os type, arch). Unknown tokens are
     * skipped; a {@code null} or blank string offers none.
     */
    static List<Guest> guests(String capabilities, String hostArch, DeviceModel deviceModel) {
        Map<List<String>, Guest.Features> merged = new LinkedHashMap<>();
        for (Token t : tokens(capabilities)) {
            boolean hvm = t.osType().equals("hvm");
            Guest.Features features = new Guest.Features(t.pae(), t.nonpae(), t.ia64Be(),
                    hvm ? ON_TOGGLEABLE : null, hvm ? ON_TOGGLEABLE : null, false, false, null, null, false);
            merged.merge(List.of(t.osType(), t.arch()), features, Guest.Features::or);
        }
        String emulator = "x86_64".equals(hostArch) ? deviceModel.emulatorOnX86_64() : deviceModel.emulator();
        List<Guest> guests = new ArrayList<>();
        merged.forEach((kind, features) -> {
            String osType = kind.get(0);
            String arch = kind.get(1);
            boolean hvm = osType.equals("hvm");
            guests.add(new Guest(osType, arch, Arches.wordsize(arch), emulator, hvm ? deviceModel.hvmLoader() : null,
                    List.of(new Guest.Machine(hvm ? "xenfv" : "xenpv", null, null, false, false)),
                    List.of(Guest.Domain.of("xen")),
                    features.isEmpty() ? null : features));
        });
        guests.sort(Comparator.comparing(Guest::osType).thenComparing(Guest::arch));
        return List.copyOf(guests);
    }

    /** One capability token: {@code hvm-3.0-x86_32p} is an hvm i686 guest with PAE. */
    record Token(String osType, String arch, boolean pae, boolean nonpae, boolean ia64Be) {
    }

    /** The recognised tokens of a capabilities string, in order. */
    static List<Token> tokens(String capabilities) {
        List<Token> tokens = new ArrayList<>();
        if (capabilities == null) {
            return tokens;
        }
        for (String word : capabilities.strip().split("\\s+")) {
            Matcher m = TOKEN.matcher(word);
            if (!m.matches()) {
                continue;
            }
            String xenArch = m.group(2);
            String suffix = m.group(3);
            boolean x86_32 = xenArch.equals("x86_32");
            // Xen's x86_32p is a PAE hypervisor build; a 32-bit one without it runs only non-PAE guests
            tokens.add(new Token(m.group(1).equals("hvm") ? "hvm" : "xen", arch(xenArch),
                    x86_32 && "p".equals(suffix), x86_32 && !"p".equals(suffix),
                    xenArch.equals("ia64") && "be".equals(suffix)));
        }
        return tokens;
    }

    private static String arch(String xenArch) {
        return switch (xenArch) {
            case "x86_32" -> "i686";
            case "powerpc64" -> "ppc64";
            default -> xenArch;
        };
    }
}
