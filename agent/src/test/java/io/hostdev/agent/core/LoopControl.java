package io.hostdev.agent.core;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes and removes loop devices through the kernel's loop control device ({@code dev/loop-control},
 * loop(4): {@code LOOP_CTL_ADD}, {@code LOOP_CTL_REMOVE}). {@code losetup} only binds files to loop
 * devices, and this VM pre-creates {@code loop0}..{@code loop7}, so binding one of those is a
 * change of an existing device; a device that did not exist before needs {@code LOOP_CTL_ADD}.
 * Root only. A test-only binding: libc's {@code open}, {@code ioctl}, {@code close} through JNA.
 */
final class LoopControl {

    /** From {@code include/uapi/linux/loop.h}. */
    private static final int LOOP_CTL_ADD = 0x4C80;
    private static final int LOOP_CTL_REMOVE = 0x4C81;
    /** open(2) flags, the same numbers on every Linux architecture JNA runs these tests on (x86-64, arm64). */
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    /** errno values (asm-generic/errno-base.h). */
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENODEV = 19;

    /** How long a removal retries while the device is still busy (a reader that has it open for a moment). */
    private static final Duration BUSY_RETRY = Duration.ofSeconds(5);

    private static final Pattern LOOP = Pattern.compile("loop(\\d+)");

    /**
     * libc, interface-mapped: {@code ioctl} is variadic, and JNA's direct mapping cannot call variadic
     * functions. The request is an {@code unsigned long} in glibc's prototype; the index travels as a
     * long, which the x86-64 and arm64 calling conventions pass in a register like an int.
     */
    private interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, NativeLong request, NativeLong arg) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static LibC libc;

    private final Path control;

    /** @param root the host's root: its {@code dev/loop-control} is used and its {@code sys/class/block} looked at */
    LoopControl(Path root) {
        this.control = root.resolve("dev").resolve("loop-control");
    }

    Path controlDevice() {
        return control;
    }

    /** Whether the loop control device is there (a kernel without loop support has none). */
    boolean available() {
        return Files.exists(control);
    }

    /**
     * Adds a loop device whose index is at least {@code lowest} and above every loop device that
     * exists now, so that it is new to every probe; an index someone takes meanwhile (another test
     * run, {@code EEXIST}) is skipped.
     *
     * @param classBlock the host's {@code sys/class/block}, whose {@code loopN} entries are the existing devices
     * @return the new device's index
     */
    int addAbove(int lowest, Path classBlock) throws IOException {
        int index = Math.max(lowest, highestLoop(classBlock) + 1);
        for (int tries = 0; ; tries++, index++) {
            try {
                return call(LOOP_CTL_ADD, index);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EEXIST || tries >= 64) {
                    throw new IOException("LOOP_CTL_ADD " + index + " on " + control + ": errno " + e.getErrorCode(), e);
                }
            }
        }
    }

    /**
     * Removes loop device {@code index}; true when it is gone (also when it never existed). Retries
     * while it is busy, for a moment: a detached device that something still holds open cannot go.
     */
    boolean remove(int index) throws InterruptedException {
        long deadline = System.nanoTime() + BUSY_RETRY.toNanos();
        while (true) {
            try {
                call(LOOP_CTL_REMOVE, index);
                return true;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENODEV) {
                    return true;
                }
                if (e.getErrorCode() != EBUSY || System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(50);
            }
        }
    }

    private int call(int request, int index) {
        LibC c = libc();
        int fd = c.open(control.toString(), O_RDWR | O_CLOEXEC);
        try {
            return c.ioctl(fd, new NativeLong(request), new NativeLong(index));
        } finally {
            c.close(fd);
        }
    }

    private static synchronized LibC libc() {
        if (libc == null) {
            libc = Native.load("c", LibC.class);
        }
        return libc;
    }

    /** The highest N of the {@code loopN} entries in {@code classBlock}; -1 when there are none. */
    static int highestLoop(Path classBlock) throws IOException {
        if (!Files.isDirectory(classBlock)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(classBlock)) {
            return s.map(p -> LOOP.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> {
                        try {
                            return Integer.parseInt(m.group(1));
                        } catch (NumberFormatException e) {
                            return -1;
                        }
                    })
                    .max().orElse(-1);
        }
    }
}
