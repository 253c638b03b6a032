package io.hostdev.probes.virt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostdev.model.host.Guest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Machine types already asked of an emulator, so that each binary is run once per version rather
 * than once per probe cycle. An entry is valid for one (path, modification time, size) of the
 * binary: replacing or upgrading it changes one of them and the next lookup misses.
 *
 * <p>Kept in memory, and, when a file is given, also on disk so that a restarted agent does not
 * run every emulator again. The file is the agent's own state, not a host file: it is read and
 * written directly, never through a host root. An unreadable or damaged file is ignored (the
 * cache starts empty) and rewritten on the next store. Failures — a binary that hung or answered
 * nonsense — are remembered in memory only, so one broken binary costs one timeout per version
 * and per agent start, not one per cycle.
 *
 * <p>One instance belongs to whoever schedules the probes (the agent), which keeps it across
 * cycles; the probe itself keeps no state. Thread-safe.
 */
public final class MachineTypeCache {

    /** The first line of meaning in the file; a file of another format is ignored. */
    static final String FORMAT = "hostdev-qemu-machine-types 1";

    /** A damaged file larger than this is not worth reading. */
    private static final long FILE_CAP = 16L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(MachineTypeCache.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Identifies one build of an emulator.
     *
     * @param path       the binary as the guest's emulator path names it
     * @param mtimeNanos modification time of the file the path resolves to, in nanoseconds
     * @param size       its size in bytes
     */
    record Key(String path, long mtimeNanos, long size) {
    }

    /** A cached answer: machine types, or {@code null} machines when asking failed. */
    private record Entry(Key key, List<Guest.Machine> machines) {
    }

    private final Path file;
    private final Map<String, Entry> entries = new TreeMap<>();
    private boolean loaded;

    private MachineTypeCache(Path file) {
        this.file = file;
    }

    /** A cache that lives as long as this object. */
    public static MachineTypeCache inMemory() {
        return new MachineTypeCache(null);
    }

    /** A cache also kept in {@code file}, created (with its directory) on the first store. */
    public static MachineTypeCache persistent(Path file) {
        return new MachineTypeCache(file.toAbsolutePath());
    }

    /**
     * The remembered answer for this build: the machine types, an empty list for a build that
     * failed, or {@code null} when it has not been asked yet.
     */
    synchronized List<Guest.Machine> lookup(Key key) {
        load();
        Entry e = entries.get(key.path());
        if (e == null || !e.key().equals(key)) {
            return null;
        }
        return e.machines() == null ? List.of() : e.machines();
    }

    /** Remembers machine types for a build, in memory and in the file. */
    synchronized void store(Key key, List<Guest.Machine> machines) {
        load();
        entries.put(key.path(), new Entry(key, List.copyOf(machines)));
        save();
    }

    /** Remembers that a build failed, in memory only. */
    synchronized void storeFailure(Key key) {
        load();
        entries.put(key.path(), new Entry(key, null));
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        try {
            if (Files.size(file) > FILE_CAP) {
                LOG.log(System.Logger.Level.WARNING, () -> "qemu: ignoring machine type cache " + file
                        + ": larger than " + FILE_CAP + " bytes");
                return;
            }
            JsonNode root;
            try (InputStream in = Files.newInputStream(file)) {
                root = JSON.readTree(in);
            }
            if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
                LOG.log(System.Logger.Level.WARNING, () -> "qemu: ignoring machine type cache " + file
                        + ": not in format " + FORMAT);
                return;
            }
            for (JsonNode e : root.path("emulators")) {
                Entry entry = entry(e);
                if (entry != null) {
                    entries.put(entry.key().path(), entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "qemu: ignoring machine type cache " + file + ": "
                    + reason(e));
            entries.clear();
        }
    }

    /** An entry read back from the file; {@code null} when any part is missing or of the wrong type. */
    private static Entry entry(JsonNode e) {
        JsonNode path = e.get("path");
        JsonNode mtime = e.get("mtime_ns");
        JsonNode size = e.get("size");
        JsonNode machines = e.get("machines");
        if (path == null || !path.isTextual() || mtime == null || !mtime.canConvertToLong()
                || !mtime.isIntegralNumber() || size == null || !size.canConvertToLong() || !size.isIntegralNumber()
                || machines == null || !machines.isArray()) {
            return null;
        }
        List<Guest.Machine> list = new ArrayList<>();
        for (JsonNode m : machines) {
            JsonNode name = m.get("name");
            if (name == null || !name.isTextual()) {
                return null;
            }
            JsonNode canonical = m.get("canonical");
            JsonNode maxCpus = m.get("max_cpus");
            list.add(new Guest.Machine(name.asText(),
                    canonical != null && canonical.isTextual() ? canonical.asText() : null,
                    maxCpus != null && maxCpus.isInt() ? maxCpus.asInt() : null,
                    m.path("deprecated").asBoolean(false), m.path("is_default").asBoolean(false)));
        }
        return new Entry(new Key(path.asText(), mtime.asLong(), size.asLong()), List.copyOf(list));
    }

    private void save() {
        if (file == null) {
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode emulators = root.putArray("emulators");
        for (Entry e : entries.values()) {
            if (e.machines() == null) {
                continue;
            }
            ObjectNode n = emulators.addObject();
            n.put("path", e.key().path());
            n.put("mtime_ns", e.key().mtimeNanos());
            n.put("size", e.key().size());
            ArrayNode ms = n.putArray("machines");
            for (Guest.Machine m : e.machines()) {
                ObjectNode mn = ms.addObject();
                mn.put("name", m.name());
                if (m.canonical() != null) {
                    mn.put("canonical", m.canonical());
                }
                if (m.maxCpus() != null) {
                    mn.put("max_cpus", m.maxCpus());
                }
                mn.put("deprecated", m.deprecated());
                mn.put("is_default", m.isDefault());
            }
        }
        try {
            Files.createDirectories(file.getParent());
            // a reader (another agent, a crash mid-write) sees the old file or the new one, never half
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "qemu: cannot write machine type cache " + file + ": "
                    + reason(e));
        }
    }

    /** One line: file-system exceptions carry only a path as their message, Jackson's carry a location line. */
    private static String reason(Exception e) {
        String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }
}
