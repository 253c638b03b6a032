package io.hostdev.agent.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hostdev.agent.journal.Cursor;
import io.hostdev.model.Device;
import io.hostdev.model.DeviceTree;
import io.hostdev.model.ModelJson;
import io.hostdev.model.host.Capabilities;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The state snapshot on disk ({@value #FILE} in the state directory): the device tree, the
 * capabilities document and the journal cursor the tree reflects, so that a restarted agent diffs
 * its first probe against exactly what clients were last told. One JSON document in the model's
 * conventions, replaced atomically: written to a temporary file, synced, renamed over the old one,
 * and the directory synced — a crash leaves the old snapshot or the new one, never a mix. (Without
 * {@code sync}, for journals that are not synced either, the rename alone keeps it whole against a
 * process crash.)
 */
final class StateStore {

    static final String FILE = "state.json";
    static final String FORMAT = "hostdev-state 1";

    private static final JsonMapper MAPPER = ModelJson.configure(JsonMapper.builder())
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writerFor(Stored.class);
    private static final ObjectReader READER = MAPPER.readerFor(Stored.class);

    /** What a snapshot holds. */
    record Saved(Cursor cursor, DeviceTree tree, Capabilities capabilities, Instant updated) {
        Saved {
            Objects.requireNonNull(cursor, "cursor");
            Objects.requireNonNull(tree, "tree");
            Objects.requireNonNull(updated, "updated");
        }
    }

    /** What loading found. */
    sealed interface Loaded permits Loaded.Found, Loaded.Missing, Loaded.Unreadable {
        record Found(Saved saved) implements Loaded {
        }

        record Missing() implements Loaded {
        }

        record Unreadable(String reason) implements Loaded {
        }
    }

    /** The file's shape. */
    record Stored(String format, String cursor, String updated, List<Device> devices, Capabilities capabilities) {
    }

    private final Path dir;
    private final Path file;
    private final boolean sync;

    StateStore(Path dir, boolean sync) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.sync = sync;
    }

    Path file() {
        return file;
    }

    Loaded load() {
        Stored s;
        try (InputStream in = Files.newInputStream(file)) {
            s = READER.readValue(in);
        } catch (NoSuchFileException e) {
            return new Loaded.Missing();
        } catch (IOException | RuntimeException e) {
            return new Loaded.Unreadable(ProbeRunner.describe(e));
        }
        try {
            if (s == null || !FORMAT.equals(s.format())) {
                return new Loaded.Unreadable("not in format " + FORMAT);
            }
            Cursor cursor = Cursor.parse(s.cursor());
            Instant updated = Instant.parse(s.updated());
            return new Loaded.Found(new Saved(cursor, DeviceTree.of(s.devices() == null ? List.of() : s.devices()),
                    s.capabilities(), updated));
        } catch (RuntimeException e) {
            return new Loaded.Unreadable(ProbeRunner.describe(e));
        }
    }

    void save(Saved saved) throws IOException {
        Stored s = new Stored(FORMAT, saved.cursor().encoded(), saved.updated().toString(), saved.tree().devices(),
                saved.capabilities());
        Path tmp = dir.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            WRITER.writeValue(out, s);
            out.flush();
            if (sync) {
                ch.force(true);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (sync) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
    }
}
