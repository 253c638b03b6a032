package io.hostdev.probes.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a small host tree on disk the way the kernel lays sysfs out: device directories under
 * {@code sys/devices}, each with a {@code uevent}, a {@code subsystem} link, and its membership link
 * in {@code sys/bus/BUS/devices} or {@code sys/class/CLASS}. Tests then point a probe at it.
 * Real files and links, not a simulation of the probe's reads.
 */
public final class FakeSysfs {

    private final Path root;

    public FakeSysfs(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** A bus device, e.g. {@code busDevice("pci0000:00/0000:00:03.0", "pci")}; path is below sys/devices. */
    public Dev busDevice(String devicesPath, String bus) {
        Dev d = new Dev(root.resolve("sys/devices").resolve(devicesPath));
        d.membership(root.resolve("sys/bus").resolve(bus).resolve("devices"), root.resolve("sys/bus").resolve(bus));
        return d;
    }

    /** A class device, e.g. {@code classDevice("virtual/net/lo", "net")}; path is below sys/devices. */
    public Dev classDevice(String devicesPath, String cls) {
        Dev d = new Dev(root.resolve("sys/devices").resolve(devicesPath));
        d.membership(root.resolve("sys/class").resolve(cls), root.resolve("sys/class").resolve(cls));
        return d;
    }

    /** Any file below the root, e.g. {@code file("proc/net/vlan/eth0.100", "...")}. */
    public FakeSysfs file(String rootRelative, String content) {
        write(root.resolve(rootRelative), content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public FakeSysfs bytes(String rootRelative, byte[] content) {
        write(root.resolve(rootRelative), content);
        return this;
    }

    /** A symlink below the root with a target written exactly as given (usually relative). */
    public FakeSysfs symlink(String rootRelative, String target) {
        link(root.resolve(rootRelative), target);
        return this;
    }

    public FakeSysfs dir(String rootRelative) {
        try {
            Files.createDirectories(root.resolve(rootRelative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void link(Path link, String target) {
        try {
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One device directory being filled in. */
    public final class Dev {
        private final Path dir;
        private final Map<String, String> uevent = new LinkedHashMap<>();

        Dev(Path dir) {
            this.dir = dir;
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            writeUevent();
        }

        void membership(Path groupDir, Path subsystemDir) {
            FakeSysfs.link(groupDir.resolve(dir.getFileName().toString()), groupDir.relativize(dir).toString());
            FakeSysfs.link(dir.resolve("subsystem"), dir.relativize(subsystemDir).toString());
        }

        public Path dir() {
            return dir;
        }

        /** The device directory relative to the root, e.g. {@code sys/devices/virtual/net/lo}. */
        public String path() {
            return root.relativize(dir).toString();
        }

        /** Writes an attribute file; the value gets the trailing newline sysfs always prints. */
        public Dev attr(String name, String value) {
            write(dir.resolve(name), (value + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        public Dev rawAttr(String name, byte[] value) {
            write(dir.resolve(name), value);
            return this;
        }

        /** Adds KEY=VALUE pairs to {@code uevent}. */
        public Dev uevent(String... keyValues) {
            for (String kv : keyValues) {
                int eq = kv.indexOf('=');
                uevent.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            writeUevent();
            return this;
        }

        /** A symlink in the device directory, target relative to the root (made relative here). */
        public Dev link(String name, String rootRelativeTarget) {
            Path target = root.resolve(rootRelativeTarget);
            FakeSysfs.link(dir.resolve(name), dir.relativize(target).toString());
            return this;
        }

        /** Binds a driver: the {@code driver} link and {@code DRIVER=} in uevent, as the kernel does. */
        public Dev driver(String bus, String driver) {
            Path driverDir = root.resolve("sys/bus").resolve(bus).resolve("drivers").resolve(driver);
            try {
                Files.createDirectories(driverDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FakeSysfs.link(dir.resolve("driver"), dir.relativize(driverDir).toString());
            return uevent("DRIVER=" + driver);
        }

        private void writeUevent() {
            StringBuilder sb = new StringBuilder();
            uevent.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            write(dir.resolve("uevent"), sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
