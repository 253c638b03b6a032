package io.hostdev.probes.virt;

import io.hostdev.model.NaturalOrder;
import io.hostdev.model.host.Guest;
import io.hostdev.probes.HostFiles;
import io.hostdev.probes.HostRoot;
import io.hostdev.probes.Probe;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The guests QEMU can run on this host ({@code qemu}): one {@code hvm} guest per architecture for
 * which a {@code qemu-system-TARGET} binary is found, with its machine types, its domain types and
 * the features libvirt reports for that architecture.
 *
 * <p><b>Finding emulators.</b> The directories of {@link Settings#searchDirs} are listed in order,
 * each below the host root; the first {@code qemu-system-TARGET} found for a target wins, and its
 * path as seen on the host becomes the guest's emulator. Which binary runs which architecture
 * follows libvirt: the exact target first ({@link Arches#qemuTarget}); an armv7l guest on an
 * aarch64 host prefers {@code qemu-system-aarch64} (which can use KVM for it); an i686 guest on an
 * x86_64 host falls back to {@code qemu-system-x86_64}.
 *
 * <p><b>Machine types.</b> Only on the live root (the host root is {@code /}) are binaries run: a
 * binary under another root belongs to another system (a fixture, a host mounted into a container)
 * and may not even run here, so its guest is listed without machine types. Running one means
 * asking it over QMP on stdio ({@code query-machines}), and when that gives no answer without
 * timing out, parsing {@code -machine help}; each run is bounded by {@link Settings#timeout} and
 * killed past it. Answers are cached by binary path, modification time and size
 * ({@link MachineTypeCache}). A binary that fails is logged once per build and keeps its guest,
 * without machine types.
 *
 * <p><b>Domain types.</b> {@code qemu} always (TCG); {@code kvm} when {@code dev/kvm} can be
 * opened read-write and the guest architecture is native to the host ({@link Arches#isNative});
 * {@code kqemu} when {@code dev/kqemu} exists, under the same native condition (the long-gone
 * kqemu module, x86 only, accelerated guests of the host's own architecture; libvirt offered it
 * only for those).
 */
public final class QemuProbe implements Probe<List<Guest>> {

    public static final String ID = "qemu";

    /**
     * Directories searched after {@code PATH}: where distributions install QEMU, for an agent
     * started with a minimal {@code PATH} (systemd units) and for a non-live root, whose own
     * {@code PATH} we cannot know. {@code /usr/libexec} holds the real {@code qemu-system-i386}
     * behind Debian's wrapper script.
     */
    public static final List<String> DEFAULT_EMULATOR_DIRS = List.of("/usr/local/bin", "/usr/bin", "/usr/libexec");

    /** Long enough for a cold start of a large emulator on a loaded host; QMP answers in ~0.1 s warm. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Whether guests carry {@code externalSnapshot}: libvirt 11.3 (the version whose schemas and
     * tests we follow) reports it for every QEMU guest; libvirt 9.0 did not have it yet.
     */
    static final boolean REPORT_EXTERNAL_SNAPSHOT = true;

    static final String BINARY_PREFIX = "qemu-system-";

    private static final System.Logger LOG = System.getLogger(QemuProbe.class.getName());

    private static final Guest.Features.Toggle ON_TOGGLEABLE = new Guest.Features.Toggle(true, true);
    private static final Guest.Features.Toggle ON_FIXED = new Guest.Features.Toggle(true, false);

    /**
     * @param searchDirs directories searched for emulators, in order, as paths on the host
     *                   (relative entries are ignored: they would depend on our working directory)
     * @param timeout    the most one run of an emulator may take
     */
    public record Settings(List<String> searchDirs, Duration timeout) {
        public Settings {
            searchDirs = List.copyOf(searchDirs);
            Objects.requireNonNull(timeout, "timeout");
        }

        /** The directories of this process's {@code PATH}, then {@link #DEFAULT_EMULATOR_DIRS}; {@link #DEFAULT_TIMEOUT}. */
        public static Settings defaults() {
            return new Settings(searchDirs(System.getenv("PATH"), DEFAULT_EMULATOR_DIRS), DEFAULT_TIMEOUT);
        }

        /**
         * What to search under {@code root}: this process's {@code PATH} describes the live host
         * only, so another root (a container's view of the host, a fixture) is searched in
         * {@link #DEFAULT_EMULATOR_DIRS} alone.
         */
        public static Settings forRoot(HostRoot root, Duration timeout) {
            return new Settings(isLive(root) ? defaults().searchDirs() : DEFAULT_EMULATOR_DIRS, timeout);
        }

        /** The entries of a {@code PATH}-style list followed by {@code extra}, without repeats. */
        static List<String> searchDirs(String path, List<String> extra) {
            Set<String> dirs = new LinkedHashSet<>();
            if (path != null) {
                for (String d : path.split(File.pathSeparator)) {
                    if (!d.isEmpty()) {
                        dirs.add(d);
                    }
                }
            }
            dirs.addAll(extra);
            return List.copyOf(dirs);
        }
    }

    /**
     * An emulator binary found on the host.
     *
     * @param target   the {@code TARGET} of {@code qemu-system-TARGET}
     * @param file     the binary below the host root (what is run on the live root)
     * @param hostPath the same path as seen on the host (the guest's emulator)
     * @param key      the identity of this build, for the cache
     */
    record Emulator(String target, Path file, String hostPath, MachineTypeCache.Key key) {
    }

    private final String hostArch;
    private final Settings settings;
    private final MachineTypeCache cache;

    /**
     * @param hostArch the host's libvirt arch from the CPU probe, which decides where KVM applies;
     *                 {@code null} when unknown (no guest then gets {@code kvm})
     * @param settings where to look and how long to wait
     * @param cache    machine types already asked, kept by the caller across probe runs
     */
    public QemuProbe(String hostArch, Settings settings, MachineTypeCache cache) {
        this.hostArch = hostArch;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Guest> probe(HostFiles files) {
        HostRoot root = files.root();
        Map<String, Emulator> emulators = findEmulators(files, settings.searchDirs());
        if (emulators.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, () -> ID + ": no " + BINARY_PREFIX + "* in " + settings.searchDirs());
            return List.of();
        }
        boolean kvm = files.canOpenReadWrite(root.dev().resolve("kvm"));
        boolean kqemu = files.exists(root.dev().resolve("kqemu"));
        boolean live = isLive(root);
        Map<String, List<Guest.Machine>> machinesByBinary = new LinkedHashMap<>();
        List<Guest> guests = new ArrayList<>();
        for (String arch : Arches.all()) {
            Emulator e = emulatorFor(hostArch, arch, emulators);
            if (e == null) {
                continue;
            }
            List<Guest.Machine> machines = live
                    ? machinesByBinary.computeIfAbsent(e.hostPath(), p -> machineTypes(e))
                    : List.of();
            guests.add(guest(arch, e.hostPath(), machines, domainTypes(hostArch, arch, kvm, kqemu)));
        }
        guests.sort(Comparator.comparing(Guest::arch));
        return List.copyOf(guests);
    }

    /** The live root is the file system's own root: only there may we run what we find. */
    static boolean isLive(HostRoot root) {
        return root.path().getParent() == null;
    }

    /**
     * The first {@code qemu-system-TARGET} for each known target, searching {@code dirs} in order.
     * Each candidate name is looked up directly rather than listing the directories: a handful of
     * failed lookups cost less than listing {@code /usr/bin}, and a capture then records only the
     * emulators that exist.
     */
    static Map<String, Emulator> findEmulators(HostFiles files, List<String> dirs) {
        List<String> targets = new ArrayList<>(new LinkedHashSet<>(Arches.all().stream().map(Arches::qemuTarget).toList()));
        targets.sort(NaturalOrder.INSTANCE);
        Map<String, Emulator> found = new LinkedHashMap<>();
        HostRoot root = files.root();
        for (String dir : dirs) {
            if (!dir.startsWith("/")) {
                continue;
            }
            Path d = root.fromHostPath(dir);
            for (String target : targets) {
                if (found.containsKey(target)) {
                    continue;
                }
                Path file = d.resolve(BINARY_PREFIX + target);
                Path real = files.realPath(file);
                BasicFileAttributes a = real == null ? null : files.stat(real);
                if (a == null || !a.isRegularFile()) {
                    continue;
                }
                String hostPath = root.hostPath(file);
                found.put(target, new Emulator(target, file, hostPath,
                        new MachineTypeCache.Key(hostPath, a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size())));
            }
        }
        return found;
    }

    /** The binary libvirt would use for a guest architecture on this host, or {@code null}. */
    static Emulator emulatorFor(String hostArch, String guestArch, Map<String, Emulator> emulators) {
        // qemu-system-arm cannot use KVM on an aarch64 host; qemu-system-aarch64 can (-cpu aarch64=off)
        if ("aarch64".equals(hostArch) && guestArch.equals("armv7l") && emulators.containsKey("aarch64")) {
            return emulators.get("aarch64");
        }
        Emulator exact = emulators.get(Arches.qemuTarget(guestArch));
        if (exact != null) {
            return exact;
        }
        if ("x86_64".equals(hostArch) && guestArch.equals("i686")) {
            return emulators.get("x86_64");
        }
        return null;
    }

    /** Asks the emulator for its machine types, through the cache; empty when it cannot say. */
    private List<Guest.Machine> machineTypes(Emulator e) {
        List<Guest.Machine> cached = cache.lookup(e.key());
        if (cached != null) {
            return cached;
        }
        String bin = e.file().toString();
        EmulatorProcess.Outcome qmp = EmulatorProcess.run(
                List.of(bin, "-machine", "none", "-nodefaults", "-nographic", "-no-user-config", "-S", "-qmp", "stdio"),
                MachineTypes.QMP_SCRIPT, settings.timeout());
        List<Guest.Machine> machines = MachineTypes.parseQmp(qmp.stdout());
        String failure = null;
        if (machines == null) {
            failure = "QMP query-machines " + qmp.describe();
            // a binary that hung once would hang again: falling back would only double the wait
            if (!qmp.timedOut() && qmp.startError() == null) {
                EmulatorProcess.Outcome help = EmulatorProcess.run(List.of(bin, "-machine", "help"), "",
                        settings.timeout());
                List<Guest.Machine> listed = help.succeeded() ? MachineTypes.parseHelp(help.stdout()) : List.of();
                if (!listed.isEmpty()) {
                    machines = listed;
                } else {
                    failure += "; -machine help " + (help.succeeded() ? "listed no machine" : help.describe());
                }
            }
        }
        if (machines == null) {
            String why = failure;
            LOG.log(System.Logger.Level.WARNING, () -> ID + ": " + e.hostPath() + ": " + why
                    + "; its guest is listed without machine types until the binary changes");
            cache.storeFailure(e.key());
            return List.of();
        }
        cache.store(e.key(), machines);
        return machines;
    }

    /** The guest entry for one architecture. */
    static Guest guest(String arch, String emulator, List<Guest.Machine> machines, List<String> domainTypes) {
        return new Guest("hvm", arch, Arches.wordsize(arch), emulator, null, machines,
                domainTypes.stream().map(Guest.Domain::of).toList(), features(arch));
    }

    /** {@code qemu}, then {@code kqemu} and {@code kvm} where they apply: see the class comment. */
    static List<String> domainTypes(String hostArch, String guestArch, boolean kvmUsable, boolean kqemuPresent) {
        List<String> types = new ArrayList<>();
        types.add("qemu");
        boolean nativeArch = Arches.isNative(hostArch, guestArch);
        if (kqemuPresent && nativeArch) {
            types.add("kqemu");
        }
        if (kvmUsable && nativeArch) {
            types.add("kvm");
        }
        return List.copyOf(types);
    }

    /**
     * The guest features libvirt 11.3 reports for a QEMU guest of this architecture:
     * {@code cpuselection}, {@code deviceboot}, {@code disksnapshot} (on, fixed) and
     * {@code externalSnapshot} for all; {@code acpi} (on, toggleable) on x86, aarch64 and
     * loongarch64; {@code apic} (on, fixed) on x86; {@code pae} and {@code nonpae} on i686.
     */
    static Guest.Features features(String arch) {
        boolean x86 = Arches.isX86(arch);
        boolean acpi = x86 || arch.equals("aarch64") || arch.equals("loongarch64");
        boolean i686 = arch.equals("i686");
        return new Guest.Features(i686, i686, false, acpi ? ON_TOGGLEABLE : null, x86 ? ON_FIXED : null,
                true, true, ON_FIXED, null, REPORT_EXTERNAL_SNAPSHOT);
    }
}
