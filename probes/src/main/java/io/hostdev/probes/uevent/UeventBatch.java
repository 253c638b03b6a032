package io.hostdev.probes.uevent;

import io.hostdev.probes.HostRoot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a burst of uevents asks the agent to look at again.
 *
 * @param rescan   true when events were lost (the socket's receive buffer overflowed, ENOBUFS)
 *                 or the burst touched too many devices: only a full probe is correct then, and
 *                 {@code devpaths} is empty
 * @param devpaths the top-most affected devpaths (a device and its children collapse to the
 *                 device; a {@code move} gives both its old and new path), sorted
 * @param events   how many uevents were merged into this batch
 */
public record UeventBatch(boolean rescan, SortedSet<String> devpaths, int events) {

    public UeventBatch {
        devpaths = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(devpaths, "devpaths")));
    }

    /** {@link #devpaths()} as directories under {@code root}'s sysfs; paths leaving it are skipped. */
    public List<Path> sysPaths(HostRoot root) {
        List<Path> out = new ArrayList<>(devpaths.size());
        for (String d : devpaths) {
            Path p = Uevent.sysPath(root, d);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }
}
