package io.hostdev.probes.sysfs;

import io.hostdev.model.cap.IdName;
import io.hostdev.model.cap.PciCapability;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.SysfsValues;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pci.ids database (the PCI ID Project's {@code pci.ids}, as shipped by hwdata or pciutils):
 * where to find it, how to read it in one streaming pass, and how to cut it down to the entries a
 * host needs, so that a captured fixture host carries its own small copy.
 *
 * <p>Format: {@code #} comments; vendor lines {@code vvvv  Name}; under a vendor, device lines
 * {@code \tdddd  Name}; under a device, subsystem lines {@code \t\tsvvv sddd  Name}; then the class
 * section, {@code C cc  Name}, subclasses {@code \tss  Name}, programming interfaces
 * {@code \t\tpp  Name}. Ids are hex. Reading never throws on content: a line that does not parse
 * is skipped, and forgets the context it would have set, so the lines under it cannot be filed
 * under the wrong parent. CRLF endings are accepted. Names are UTF-8; a name that is not valid
 * UTF-8 (older files were Latin-1) is read as Latin-1. Where an entry appears twice the first wins.
 */
public final class PciIds {

    /** Where distributions install it, below the host root, in order of preference. */
    static final List<String> ROOT_LOCATIONS = List.of("usr/share/hwdata/pci.ids", "usr/share/misc/pci.ids");

    /** Longer lines are not pci.ids lines: they are skipped like any malformed line. */
    static final int MAX_LINE = 4096;

    private static final int MAX_LINK_HOPS = 8;

    private PciIds() {
    }

    // ---- locating ----

    /**
     * The pci.ids to use for a host: {@code ROOT/usr/share/hwdata/pci.ids}, then
     * {@code ROOT/usr/share/misc/pci.ids} (so a fixture host carries its own), then
     * {@code configured}, an absolute path on this machine (may be {@code null}).
     */
    public static Optional<Path> locate(HostRoot root, Path configured) {
        return locate(HostFiles.of(root), configured);
    }

    /** {@link #locate(HostRoot, Path)} through a given reader, so the look-ups are recorded. */
    static Optional<Path> locate(HostFiles files, Path configured) {
        HostRoot root = files.root();
        for (String relative : ROOT_LOCATIONS) {
            Path found = regularFileInRoot(files, root, root.resolve(relative));
            if (found != null) {
                return Optional.of(found);
            }
        }
        if (configured != null) {
            BasicFileAttributes a = files.stat(configured);
            if (a != null && !a.isDirectory()) {
                return Optional.of(configured);
            }
        }
        return Optional.empty();
    }

    /**
     * Follows symbolic links the way the host would see them: an absolute target is taken below the
     * root (Debian links {@code misc/pci.ids} to {@code /usr/share/hwdata/pci.ids}), and nothing
     * outside the root is accepted, so a mounted host never resolves to this machine's file.
     */
    private static Path regularFileInRoot(HostFiles files, HostRoot root, Path p) {
        Path current = p;
        for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            BasicFileAttributes a = files.stat(current);
            if (a == null) {
                return null;
            }
            if (a.isRegularFile()) {
                return current;
            }
            if (!a.isSymbolicLink()) {
                return null;
            }
            String target = files.readLink(current);
            if (target == null) {
                return null;
            }
            current = target.startsWith("/") ? root.fromHostPath(target)
                    : current.getParent().resolve(target).normalize();
            if (!root.contains(current)) {
                return null;
            }
        }
        return null;
    }

    // ---- subset for captured fixtures ----

    /**
     * A valid pci.ids text with only what {@code used} needs: the vendor lines of their vendors and
     * subsystem vendors, their device lines, their subsystem lines, and the whole class section. Names
     * resolved from it equal names resolved from the full file.
     *
     * @throws UncheckedIOException when the stream fails: a truncated subset would silently change names
     */
    public static String subset(InputStream pciIds, Collection<PciCapability> used) {
        Wanted wanted = Wanted.of(used);
        StringBuilder out = new StringBuilder(4096);
        out.append("# pci.ids subset: only the entries this host's PCI devices use, and every class.\n");
        out.append("# Same format as the PCI ID Project's pci.ids, from which it was cut.\n");
        try {
            scan(pciIds, new Visitor() {
                @Override
                public void vendor(int vendor, Line line) {
                    if (wanted.vendors.contains(vendor)) {
                        out.append(hex(vendor, 4)).append("  ").append(line.name()).append('\n');
                    }
                }

                @Override
                public void device(int vendor, int device, Line line) {
                    if (wanted.devices.contains(deviceKey(vendor, device))) {
                        out.append('\t').append(hex(device, 4)).append("  ").append(line.name()).append('\n');
                    }
                }

                @Override
                public void subsystem(int vendor, int device, int subVendor, int subDevice, Line line) {
                    if (wanted.subsystems.contains(subsystemKey(vendor, device, subVendor, subDevice))) {
                        out.append("\t\t").append(hex(subVendor, 4)).append(' ').append(hex(subDevice, 4))
                                .append("  ").append(line.name()).append('\n');
                    }
                }

                @Override
                public void deviceClass(int cls, Line line) {
                    out.append("C ").append(hex(cls, 2)).append("  ").append(line.name()).append('\n');
                }

                @Override
                public void subclass(int cls, int subclass, Line line) {
                    out.append('\t').append(hex(subclass, 2)).append("  ").append(line.name()).append('\n');
                }

                @Override
                public void progIf(int cls, int subclass, int progIf, Line line) {
                    out.append("\t\t").append(hex(progIf, 2)).append("  ").append(line.name()).append('\n');
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pci.ids: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static String hex(int value, int digits) {
        String h = Integer.toHexString(value);
        return "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    // ---- resolving names ----

    /** The ids a set of PCI capabilities needs names for. */
    static final class Wanted {
        final Set<Integer> vendors = new HashSet<>();
        final Set<Integer> devices = new HashSet<>();
        final Set<Long> subsystems = new HashSet<>();

        static Wanted of(Collection<PciCapability> caps) {
            Wanted w = new Wanted();
            for (PciCapability c : caps) {
                int vendor = id(c.vendor(), 0xffff);
                int device = id(c.product(), 0xffff);
                int subVendor = id(c.subsystemVendor(), 0xffff);
                int subDevice = id(c.subsystemProduct(), 0xffff);
                if (vendor >= 0) {
                    w.vendors.add(vendor);
                }
                if (subVendor >= 0) {
                    w.vendors.add(subVendor);
                }
                if (vendor >= 0 && device >= 0) {
                    w.devices.add(deviceKey(vendor, device));
                    if (subVendor >= 0 && subDevice >= 0) {
                        w.subsystems.add(subsystemKey(vendor, device, subVendor, subDevice));
                    }
                }
            }
            return w;
        }
    }

    /** Names found for the wanted ids; a missing entry means the database does not know it. */
    static final class Names {
        final Map<Integer, String> vendors = new HashMap<>();
        final Map<Integer, String> devices = new HashMap<>();
        final Map<Long, String> subsystems = new HashMap<>();
        final Map<Integer, String> classes = new HashMap<>();
        final Map<Integer, String> subclasses = new HashMap<>();

        /**
         * A copy of {@code c} with names. {@code class.name} is the subclass name (what lspci prints,
         * e.g. "Ethernet controller"), or the base class name when the subclass is not listed; the
         * programming interface is not named, its id is the low byte of {@code class.id}.
         */
        PciCapability apply(PciCapability c) {
            int vendor = id(c.vendor(), 0xffff);
            int device = id(c.product(), 0xffff);
            int subVendor = id(c.subsystemVendor(), 0xffff);
            int subDevice = id(c.subsystemProduct(), 0xffff);
            int cls = id(c.deviceClass(), 0xffffff);
            String className = null;
            if (cls >= 0) {
                className = subclasses.get(cls >> 8);
                if (className == null) {
                    className = classes.get(cls >> 16);
                }
            }
            return new PciCapability(c.address(),
                    named(c.vendor(), vendors.get(vendor)),
                    named(c.product(), vendor < 0 || device < 0 ? null : devices.get(deviceKey(vendor, device))),
                    named(c.subsystemVendor(), subVendor < 0 ? null : vendors.get(subVendor)),
                    named(c.subsystemProduct(), vendor < 0 || device < 0 || subVendor < 0 || subDevice < 0 ? null
                            : subsystems.get(subsystemKey(vendor, device, subVendor, subDevice))),
                    named(c.deviceClass(), className),
                    c.revision(), c.iommuGroup(), c.numaNode(), c.link(), c.sriov(), c.resources(), c.assignable());
        }

        private static IdName named(IdName id, String name) {
            return id == null ? null : new IdName(id.id(), name);
        }
    }

    /** One pass over the database keeping only the names {@code wanted} asks for, plus every class name. */
    static Names resolve(InputStream pciIds, Wanted wanted) throws IOException {
        Names names = new Names();
        scan(pciIds, new Visitor() {
            @Override
            public void vendor(int vendor, Line line) {
                if (wanted.vendors.contains(vendor) && !names.vendors.containsKey(vendor)) {
                    names.vendors.put(vendor, line.name());
                }
            }

            @Override
            public void device(int vendor, int device, Line line) {
                int key = deviceKey(vendor, device);
                if (wanted.devices.contains(key) && !names.devices.containsKey(key)) {
                    names.devices.put(key, line.name());
                }
            }

            @Override
            public void subsystem(int vendor, int device, int subVendor, int subDevice, Line line) {
                long key = subsystemKey(vendor, device, subVendor, subDevice);
                if (wanted.subsystems.contains(key) && !names.subsystems.containsKey(key)) {
                    names.subsystems.put(key, line.name());
                }
            }

            @Override
            public void deviceClass(int cls, Line line) {
                names.classes.putIfAbsent(cls, line.name());
            }

            @Override
            public void subclass(int cls, int subclass, Line line) {
                names.subclasses.putIfAbsent(cls << 8 | subclass, line.name());
            }

            @Override
            public void progIf(int cls, int subclass, int progIf, Line line) {
                // not used for names: see Names.apply
            }
        });
        return names;
    }

    static int deviceKey(int vendor, int device) {
        return vendor << 16 | device;
    }

    static long subsystemKey(int vendor, int device, int subVendor, int subDevice) {
        return (long) vendor << 48 | (long) device << 32 | (long) subVendor << 16 | subDevice;
    }

    /** An id such as {@code 0x8086} as a number, or -1 when absent, not hex, or above {@code max}. */
    static int id(IdName id, int max) {
        Long v = id == null ? null : SysfsValues.hex(id.id());
        return v == null || Long.compareUnsigned(v, max) > 0 ? -1 : v.intValue();
    }

    // ---- streaming the file ----

    /** What the scan found, each entry with its enclosing ids. {@link Line#name()} is valid only during the call. */
    interface Visitor {
        void vendor(int vendor, Line line);

        void device(int vendor, int device, Line line);

        void subsystem(int vendor, int device, int subVendor, int subDevice, Line line);

        void deviceClass(int cls, Line line);

        void subclass(int cls, int subclass, Line line);

        void progIf(int cls, int subclass, int progIf, Line line);
    }

    /**
     * Reads the whole stream once, line by line (split on {@code \n} only), and reports every entry
     * that sits in a valid context. Content never makes it throw; only the stream can.
     */
    static void scan(InputStream in, Visitor visitor) throws IOException {
        Context context = new Context(visitor);
        // lines are parsed where they lie in the buffer; only an unfinished line is moved to its front
        byte[] buf = new byte[64 * 1024];
        int held = 0;
        boolean skipping = false;
        int skipDepth = 0;
        int n;
        while ((n = in.read(buf, held, buf.length - held)) >= 0) {
            int end = held + n;
            int lineStart = 0;
            for (int i = held; i < end; i++) {
                if (buf[i] == '\n') {
                    if (skipping) {
                        context.accept(Line.invalid(skipDepth));
                        skipping = false;
                    } else if (i - lineStart > MAX_LINE) {
                        context.accept(Line.invalid(depth(buf, lineStart, i)));
                    } else {
                        context.accept(parseLine(buf, lineStart, i));
                    }
                    lineStart = i + 1;
                }
            }
            int rest = end - lineStart;
            if (skipping) {
                held = 0;
            } else if (rest > MAX_LINE) {
                skipping = true;
                skipDepth = depth(buf, lineStart, end);
                held = 0;
            } else {
                System.arraycopy(buf, lineStart, buf, 0, rest);
                held = rest;
            }
        }
        if (skipping) {
            context.accept(Line.invalid(skipDepth));
        } else if (held > 0) {
            context.accept(held > MAX_LINE ? Line.invalid(depth(buf, 0, held)) : parseLine(buf, 0, held));
        }
    }

    /** Which vendor/device or class/subclass the following indented lines belong to. */
    private static final class Context {
        private final Visitor visitor;
        private int vendor = -1;
        private int device = -1;
        private int cls = -1;
        private int subclass = -1;

        Context(Visitor visitor) {
            this.visitor = visitor;
        }

        void accept(Line l) {
            switch (l.kind()) {
                case BLANK -> {
                }
                case VENDOR -> {
                    vendor = l.id();
                    device = -1;
                    cls = -1;
                    subclass = -1;
                    visitor.vendor(vendor, l);
                }
                case CLASS -> {
                    cls = l.id();
                    subclass = -1;
                    vendor = -1;
                    device = -1;
                    visitor.deviceClass(cls, l);
                }
                case DEVICE -> {
                    if (vendor >= 0) {
                        device = l.id();
                        visitor.device(vendor, device, l);
                    } else {
                        forget(1);
                    }
                }
                case SUBCLASS -> {
                    if (cls >= 0) {
                        subclass = l.id();
                        visitor.subclass(cls, subclass, l);
                    } else {
                        forget(1);
                    }
                }
                case SUBSYSTEM -> {
                    if (device >= 0) {
                        visitor.subsystem(vendor, device, l.id(), l.subId(), l);
                    }
                }
                case PROG_IF -> {
                    if (subclass >= 0) {
                        visitor.progIf(cls, subclass, l.id(), l);
                    }
                }
                case INVALID -> forget(l.depth());
            }
        }

        /** A bad line at {@code depth} ends the context of that depth and below. */
        private void forget(int depth) {
            if (depth == 0) {
                vendor = -1;
                cls = -1;
            }
            if (depth <= 1) {
                device = -1;
                subclass = -1;
            }
        }
    }

    enum Kind { BLANK, VENDOR, DEVICE, SUBSYSTEM, CLASS, SUBCLASS, PROG_IF, INVALID }

    /**
     * One parsed line. The name is decoded on demand from the line's bytes, so the scan pays for
     * the names it keeps only; a {@code Line} is therefore valid only until the next line is read.
     */
    static final class Line {
        private static final Line BLANK = new Line(Kind.BLANK, 0, -1, -1, null, 0, 0);

        private final Kind kind;
        private final int depth;
        private final int id;
        private final int subId;
        private final byte[] bytes;
        private final int nameFrom;
        private final int nameTo;

        private Line(Kind kind, int depth, int id, int subId, byte[] bytes, int nameFrom, int nameTo) {
            this.kind = kind;
            this.depth = depth;
            this.id = id;
            this.subId = subId;
            this.bytes = bytes;
            this.nameFrom = nameFrom;
            this.nameTo = nameTo;
        }

        static Line invalid(int depth) {
            return new Line(Kind.INVALID, depth, -1, -1, null, 0, 0);
        }

        Kind kind() {
            return kind;
        }

        /** Leading tabs. */
        int depth() {
            return depth;
        }

        /** Vendor, device, class, subclass or prog-if id; the subsystem vendor for a subsystem line. */
        int id() {
            return id;
        }

        /** The subsystem device id of a subsystem line; -1 otherwise. */
        int subId() {
            return subId;
        }

        /** The entry's name, or {@code null} for blank and invalid lines. */
        String name() {
            return bytes == null ? null : decodeName(bytes, nameFrom, nameTo);
        }
    }

    /**
     * Parses one line (without its {@code \n}) of pci.ids. Comments and blank lines are
     * {@link Kind#BLANK}; anything that is not a well-formed entry is {@link Kind#INVALID} with its
     * depth. Whether an entry is in a valid place is for the scan to decide. Never throws.
     */
    static Line parseLine(byte[] b, int from, int to) {
        int end = to;
        while (end > from && isSpace(b[end - 1])) {
            end--;
        }
        int depth = depth(b, from, end);
        int p = from + depth;
        if (p == end || b[p] == '#') {
            return Line.BLANK;
        }
        if (depth == 0 && b[p] == 'C' && p + 1 < end && isSpace(b[p + 1])) {
            int q = skipSpaces(b, p + 1, end);
            return hexRun(b, q, end) == 2 ? entry(Kind.CLASS, 0, b, q, 2, end) : Line.invalid(0);
        }
        int digits = hexRun(b, p, end);
        return switch (depth) {
            case 0 -> digits == 4 ? entry(Kind.VENDOR, 0, b, p, 4, end) : Line.invalid(0);
            case 1 -> digits == 4 ? entry(Kind.DEVICE, 1, b, p, 4, end)
                    : digits == 2 ? entry(Kind.SUBCLASS, 1, b, p, 2, end) : Line.invalid(1);
            case 2 -> digits == 2 ? entry(Kind.PROG_IF, 2, b, p, 2, end) : subsystemLine(b, p, digits, end);
            default -> Line.invalid(depth);
        };
    }

    private static Line subsystemLine(byte[] b, int p, int digits, int end) {
        if (digits != 4 || p + 4 >= end || !isSpace(b[p + 4])) {
            return Line.invalid(2);
        }
        int q = skipSpaces(b, p + 4, end);
        if (hexRun(b, q, end) != 4) {
            return Line.invalid(2);
        }
        Line second = entry(Kind.SUBSYSTEM, 2, b, q, 4, end);
        if (second.kind() == Kind.INVALID) {
            return second;
        }
        return new Line(Kind.SUBSYSTEM, 2, hexValue(b, p, 4), second.id(), b, second.nameFrom, second.nameTo);
    }

    /** An id of {@code digits} hex digits at {@code p}, then blanks, then a non-empty name up to {@code end}. */
    private static Line entry(Kind kind, int depth, byte[] b, int p, int digits, int end) {
        int q = p + digits;
        if (q >= end || !isSpace(b[q])) {
            return Line.invalid(depth);
        }
        int nameFrom = skipSpaces(b, q, end);
        if (nameFrom == end) {
            return Line.invalid(depth);
        }
        return new Line(kind, depth, hexValue(b, p, digits), -1, b, nameFrom, end);
    }

    static int depth(byte[] b, int from, int to) {
        int p = from;
        while (p < to && b[p] == '\t') {
            p++;
        }
        return p - from;
    }

    private static int hexRun(byte[] b, int p, int end) {
        int q = p;
        while (q < end && SysfsValues.hexDigit((char) (b[q] & 0xff)) >= 0) {
            q++;
        }
        return q - p;
    }

    private static int hexValue(byte[] b, int p, int digits) {
        int v = 0;
        for (int i = p; i < p + digits; i++) {
            v = v << 4 | SysfsValues.hexDigit((char) (b[i] & 0xff));
        }
        return v;
    }

    private static int skipSpaces(byte[] b, int p, int end) {
        int q = p;
        while (q < end && isSpace(b[q])) {
            q++;
        }
        return q;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    /** UTF-8 when the bytes are valid UTF-8, else Latin-1 (never replacement characters). */
    static String decodeName(byte[] b, int from, int to) {
        boolean ascii = true;
        for (int i = from; i < to && ascii; i++) {
            ascii = b[i] >= 0;
        }
        if (ascii) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }
}
