package io.hostdev.probes;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The only door from probes to the file system. Reads are lenient: a missing, unreadable,
 * vanished or otherwise failing file (ENOENT, EACCES, EIO, EINVAL, EISDIR, ELOOP...) reads as
 * absent, never as an exception, because in sysfs that is normal (a {@code speed} of a link
 * that is down answers EINVAL; a write-only attribute answers EACCES even to root). Content is
 * decoded as UTF-8 with malformed bytes replaced, capped in size, and stripped of trailing
 * whitespace and NULs.
 *
 * <p>When built with {@link #recording}, every access is remembered in order, for
 * {@code hostdev capture} and for the benchmark's floor.
 */
public final class HostFiles {

    /** Default cap for one attribute: sysfs attributes are at most one page. */
    public static final int ATTRIBUTE_CAP = 16 * 1024;

    private static final System.Logger LOG = System.getLogger(HostFiles.class.getName());

    private final HostRoot root;
    private final Set<Access> log;
    private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[ATTRIBUTE_CAP + 1]);

    private HostFiles(HostRoot root, Set<Access> log) {
        this.root = root;
        this.log = log;
    }

    public static HostFiles of(HostRoot root) {
        return new HostFiles(root, null);
    }

    /** A reader that remembers every access it makes, see {@link #accesses()}. */
    public static HostFiles recording(HostRoot root) {
        return new HostFiles(root, Collections.synchronizedSet(new LinkedHashSet<>()));
    }

    public HostRoot root() {
        return root;
    }

    /** The accesses made so far, in first-access order; empty unless {@link #recording}. */
    public List<Access> accesses() {
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private void note(Access.Kind kind, Path p) {
        if (log != null) {
            log.add(new Access(kind, p));
        }
    }

    /** The file's text, or {@code null} when it cannot be read; see the class comment. */
    public String read(Path file) {
        note(Access.Kind.READ, file);
        byte[] buf = buffers.get();
        int n = readInto(file, buf, ATTRIBUTE_CAP);
        return n < 0 ? null : decode(buf, n);
    }

    /** Like {@link #read} with a larger cap, for files such as {@code proc/cpuinfo}. */
    public String read(Path file, int cap) {
        if (cap <= ATTRIBUTE_CAP) {
            return read(file);
        }
        note(Access.Kind.READ, file);
        byte[] buf = new byte[cap + 1];
        int n = readInto(file, buf, cap);
        return n < 0 ? null : decode(buf, n);
    }

    /** Raw bytes (capped), or {@code null}. */
    public byte[] readBytes(Path file, int cap) {
        note(Access.Kind.READ, file);
        byte[] buf = new byte[cap + 1];
        int n = readInto(file, buf, cap);
        if (n < 0) {
            return null;
        }
        byte[] out = new byte[n];
        System.arraycopy(buf, 0, out, 0, n);
        return out;
    }

    /** Opens a large file (a name database) as a stream; {@code null} when it cannot be opened. */
    public InputStream open(Path file) {
        note(Access.Kind.OPEN, file);
        try {
            return new FileInputStream(file.toFile());
        } catch (IOException | SecurityException e) {
            LOG.log(System.Logger.Level.TRACE, () -> "cannot open " + file + ": " + e.getMessage());
            return null;
        }
    }

    /** An integer attribute read as {@link SysfsValues#decimalOrHex}; {@code null} when absent or not a number. */
    public Long readLong(Path file) {
        return SysfsValues.decimalOrHex(read(file));
    }

    /** The target of a symbolic link as written (usually relative), or {@code null}. */
    public String readLink(Path link) {
        note(Access.Kind.READLINK, link);
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** The last component of a link's target, e.g. the driver name from {@code driver}; or {@code null}. */
    public String readLinkName(Path link) {
        String target = readLink(link);
        if (target == null) {
            return null;
        }
        Path name = Path.of(target).getFileName();
        return name == null ? null : name.toString();
    }

    /** Where a link points, resolved lexically against its directory; {@code null} if not a link. */
    public Path resolveLink(Path link) {
        String target = readLink(link);
        if (target == null) {
            return null;
        }
        return link.getParent().resolve(target).normalize();
    }

    /** Entry names of a directory, unsorted; empty when it cannot be listed. */
    public List<String> list(Path dir) {
        note(Access.Kind.LIST, dir);
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException | SecurityException | java.nio.file.DirectoryIteratorException e) {
            // a directory that vanishes while listed yields what was seen so far
            LOG.log(System.Logger.Level.TRACE, () -> "cannot list " + dir + ": " + e.getMessage());
        }
        return names;
    }

    /** File attributes without following a final symlink, or {@code null} when it does not exist. */
    public BasicFileAttributes stat(Path p) {
        note(Access.Kind.STAT, p);
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The canonical path, every link followed; {@code null} when it does not resolve (dangling, loop). */
    public Path realPath(Path p) {
        note(Access.Kind.REALPATH, p);
        try {
            return p.toRealPath();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * Whether this process may open the file for both reading and writing, as using
     * {@code dev/kvm} requires (it is usually mode 0660, group kvm). The file is opened and closed
     * at once, nothing read or written. An actual open, rather than an access(2)-style check of the
     * mode bits, also sees a device cgroup or a read-only mount that refuses it. Recorded as a
     * {@link Access.Kind#STAT}: what a capture needs of it is its existence, not its content.
     */
    public boolean canOpenReadWrite(Path file) {
        note(Access.Kind.STAT, file);
        try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.TRACE, () -> "cannot open " + file + " read-write: " + e.getMessage());
            return false;
        }
    }

    public boolean isDirectory(Path p) {
        BasicFileAttributes a = stat(p);
        return a != null && a.isDirectory();
    }

    public boolean exists(Path p) {
        return stat(p) != null;
    }

    private static int readInto(Path file, byte[] buf, int cap) {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            int total = 0;
            while (total < cap) {
                int n = in.read(buf, total, cap - total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            return total;
        } catch (IOException | SecurityException e) {
            LOG.log(System.Logger.Level.TRACE, () -> "cannot read " + file + ": " + e.getMessage());
            return -1;
        }
    }

    /** Lenient decoding: UTF-8 with replacement, trailing whitespace and NUL padding removed. */
    static String decode(byte[] buf, int length) {
        int end = length;
        while (end > 0 && isTrailingJunk(buf[end - 1])) {
            end--;
        }
        return new String(buf, 0, end, StandardCharsets.UTF_8);
    }

    private static boolean isTrailingJunk(byte b) {
        return b == '\n' || b == '\r' || b == ' ' || b == '\t' || b == 0;
    }
}
