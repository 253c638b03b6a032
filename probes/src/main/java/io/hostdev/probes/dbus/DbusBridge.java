package io.hostdev.probes.dbus;

import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The D-Bus bridge: one connection to the system bus (or the configured one), the sources
 * {@code dbus.udisks2}, {@code dbus.systemd} and {@code dbus.hal} read over it, their signals, and
 * reconnection.
 *
 * <p>Everything that touches the connection or the records runs on one thread
 * ({@code hostdev-dbus}); signal handlers only queue work for it, and a burst of signals within
 * {@link DbusConfig#settle()} is one re-read. Listeners are called on that thread.
 *
 * <p>Failure handling, chosen so that a host without D-Bus costs nothing and logs one line: no bus
 * (no socket, refused) = every source {@link DbusSourceState#NO_BUS}, one info line, retries with
 * exponential backoff logged at debug; a service not on the bus = that source
 * {@link DbusSourceState#ABSENT}, one info line, and it is read as soon as its name gets an owner;
 * the bus going away = the last records kept ({@link DbusSourceState#STALE}), one info line,
 * reconnection with backoff, and on success every source re-subscribed, re-read and diffed, so the
 * listeners hear only what really changed meanwhile.
 */
public final class DbusBridge implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DbusBridge.class.getName());
    private static final String DBUS_NAME = "org.freedesktop.DBus";
    private static final String DBUS_PATH = "/org/freedesktop/DBus";
    /** How long after a service's name lost its owner the loss is confirmed (see {@link #confirmGone}). */
    static final Duration OWNER_LOSS_GRACE = Duration.ofMillis(500);
    /**
     * How long a source's records stay (STALE) after the bus came back without its service: the
     * service's arrival (NameOwnerChanged) reads it at once; if it has not come by then, the source
     * is absent.
     */
    static final Duration RESTART_GRACE = Duration.ofSeconds(10);

    private final DbusConfig config;
    private final String address;
    private final Map<String, Slot<?>> slots = new LinkedHashMap<>();
    private final Map<String, Slot<?>> slotsByBusName = new TreeMap<>();
    private final List<Consumer<DbusChange>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService worker;

    // touched on the worker thread only
    private DBusConnection connection;
    private final List<AutoCloseable> busHandles = new ArrayList<>();
    private int generation;
    private int failedTries;
    private boolean unreachableLogged;
    private boolean everConnected;
    private volatile boolean closed;

    private DbusBridge(DbusConfig config) {
        this.config = config;
        this.address = DbusAddress.resolve(config.environment().apply(DbusConfig.SYSTEM_BUS_ENV), config.address(),
                config.root());
        for (DbusSource<?> source : List.<DbusSource<?>>of(new UdisksSource(), new SystemdSource(), new HalSource())) {
            if (config.sources().contains(source.id())) {
                Slot<?> slot = new Slot<>(source);
                slots.put(source.id(), slot);
                slotsByBusName.put(source.busName(), slot);
            }
        }
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hostdev-dbus");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the bridge and waits up to {@link DbusConfig#openTimeout()} for the first connection and
     * reads. Never fails for a missing bus or service: those are states, see {@link #snapshot()}.
     */
    public static DbusBridge open(DbusConfig config) {
        DbusBridge bridge = new DbusBridge(Objects.requireNonNull(config, "config"));
        Future<?> first = bridge.worker.submit(bridge::connect);
        try {
            first.get(config.openTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.DEBUG, () -> "dbus: first connection still under way after " + config.openTimeout());
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, () -> "dbus: first connection failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return bridge;
    }

    /** The bus address in use. */
    public String address() {
        return address;
    }

    /** The records of each enabled source as of now (a disabled source reads as empty, with no state). */
    public DbusSnapshot snapshot() {
        SortedMap<String, DbusSourceState> states = new TreeMap<>();
        slots.forEach((id, slot) -> states.put(id, slot.state));
        return new DbusSnapshot(states,
                records(UdisksSource.ID, UdisksSnapshot.EMPTY, UdisksSnapshot.class),
                records(SystemdSource.ID, SystemdSnapshot.EMPTY, SystemdSnapshot.class),
                records(HalSource.ID, HalSnapshot.EMPTY, HalSnapshot.class));
    }

    private <T> T records(String id, T empty, Class<T> type) {
        Slot<?> slot = slots.get(id);
        return slot == null ? empty : type.cast(slot.records);
    }

    /** Calls {@code listener} (on the bridge's thread) for each key whose records change; close the handle to stop. */
    public AutoCloseable onChange(Consumer<DbusChange> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Future<?> done = worker.submit(this::disconnect);
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.DEBUG, () -> "dbus: close: " + e);
        }
        worker.shutdownNow();
    }

    // ---- on the worker thread ----

    private void connect() {
        if (closed || connection != null) {
            return;
        }
        Path socket = DbusAddress.unixPath(address);
        if (socket != null) {
            String refused = Files.exists(socket) ? refused(socket) : "no socket " + socket;
            if (refused != null) {
                unreachable(refused);
                return;
            }
        }
        int gen = ++generation;
        DBusConnection c;
        try {
            c = DBusConnectionBuilder.forAddress(address)
                    .withShared(false)
                    .withDisconnectCallback(new Lost(gen))
                    .build();
        } catch (DBusException | RuntimeException e) {
            unreachable(String.valueOf(e.getMessage()));
            return;
        }
        connection = c;
        failedTries = 0;
        if (unreachableLogged || everConnected) {
            LOG.log(Level.INFO, () -> "dbus: connected to " + address + " again");
        } else {
            LOG.log(Level.DEBUG, () -> "dbus: connected to " + address);
        }
        unreachableLogged = false;
        everConnected = true;
        try {
            // a service that starts, stops or restarts later is noticed through its name's owner
            busHandles.add(c.addSigHandler(DBus.NameOwnerChanged.class, s -> {
                Slot<?> slot = slotsByBusName.get(s.name);
                if (slot != null) {
                    submit(() -> ownerChanged(gen, slot, s.newOwner), 0);
                }
            }));
            for (Slot<?> slot : slots.values()) {
                slot.handles.addAll(slot.source.subscribe(c, hint -> signal(gen, slot, hint)));
            }
            DBus bus = c.getRemoteObject(DBUS_NAME, DBUS_PATH, DBus.class);
            for (Slot<?> slot : slots.values()) {
                if (bus.NameHasOwner(slot.source.busName())) {
                    read(slot, Set.of(), true);
                } else if (slot.state == DbusSourceState.STALE) {
                    // the bus is back before the service (a restarted system registers its services one
                    // by one): keep the records a while rather than drop them and read them again
                    submit(() -> confirmGone(gen, slot), RESTART_GRACE.toMillis());
                } else {
                    absent(slot);
                }
                if (connection == null) {
                    return; // lost while reading
                }
            }
        } catch (DBusException | DBusExecutionException e) {
            lost(gen, "setting up: " + e.getMessage());
        }
    }

    /**
     * A plain connect to the socket first: a daemon killed with SIGKILL leaves its socket file
     * behind, and dbus-java logs every attempt on it; this try logs nothing.
     */
    static String refused(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot connect to " + socket + ": " + e.getMessage();
        }
    }

    private void unreachable(String reason) {
        for (Slot<?> slot : slots.values()) {
            if (slot.state != DbusSourceState.STALE) {
                slot.state = DbusSourceState.NO_BUS;
            }
        }
        if (!unreachableLogged && !everConnected) {
            LOG.log(Level.INFO, () -> "dbus: no bus at " + address + " (" + reason + "): sources " + slots.keySet()
                    + " absent; retrying with backoff up to " + config.backoffMax());
        } else {
            LOG.log(Level.DEBUG, () -> "dbus: still no bus at " + address + " (" + reason + ")");
        }
        unreachableLogged = true;
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        long delay = backoff(config.backoffInitial(), config.backoffMax(), failedTries++).toMillis();
        submit(this::connect, delay);
    }

    /** Work for the bridge's thread from any thread; none once closed. */
    private void submit(Runnable task, long delayMillis) {
        if (closed) {
            return;
        }
        try {
            worker.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** {@code initial × 2^tries}, capped at {@code max} (and safe from overflow). */
    static Duration backoff(Duration initial, Duration max, int tries) {
        if (tries >= 62) {
            return max;
        }
        long factor = 1L << Math.max(0, tries);
        long millis = initial.toMillis();
        if (millis > max.toMillis() / factor) {
            return max;
        }
        return Duration.ofMillis(millis * factor);
    }

    private void lost(int gen, String reason) {
        if (gen != generation || connection == null) {
            return; // an older connection, or one this bridge closed itself
        }
        disconnect();
        for (Slot<?> slot : slots.values()) {
            if (slot.state == DbusSourceState.PRESENT) {
                slot.state = DbusSourceState.STALE;
            }
        }
        // one line per loss, shown by default: the only sign that D-Bus facts are no longer live
        LOG.log(Level.WARNING, () -> "dbus: lost the bus at " + address + " (" + reason
                + "); keeping the last records, reconnecting with backoff up to " + config.backoffMax());
        scheduleReconnect();
    }

    private void disconnect() {
        // the match rules die with the connection: removing them one by one would only be more
        // calls (and dbus-java log lines) on a connection that may be dead already
        for (Slot<?> slot : slots.values()) {
            slot.handles.clear();
        }
        busHandles.clear();
        DBusConnection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, () -> "dbus: closing the connection: " + e);
            }
        }
    }

    private void ownerChanged(int gen, Slot<?> slot, String newOwner) {
        if (gen != generation || connection == null) {
            return;
        }
        if (newOwner == null || newOwner.isEmpty()) {
            submit(() -> confirmGone(gen, slot), OWNER_LOSS_GRACE.toMillis());
        } else {
            read(slot, Set.of(), true); // a new or restarted service: all of it, and Subscribe again
        }
    }

    /**
     * A daemon shutting down drops its clients one by one, so the services' names may be seen to go
     * just before the bus itself: asked again after {@link #OWNER_LOSS_GRACE}, a dead bus fails the
     * question and reads as the bus going away (records kept), not as the services leaving.
     */
    private void confirmGone(int gen, Slot<?> slot) {
        if (gen != generation || connection == null) {
            return;
        }
        try {
            DBus bus = connection.getRemoteObject(DBUS_NAME, DBUS_PATH, DBus.class);
            if (bus.NameHasOwner(slot.source.busName())) {
                read(slot, Set.of(), true);
            } else {
                absent(slot);
            }
        } catch (DBusException | DBusExecutionException e) {
            lost(gen, e.getMessage());
        }
    }

    /** Called by dbus-java's signal threads: queue the hint, one re-read per settle window. */
    private void signal(int gen, Slot<?> slot, String hint) {
        synchronized (slot) {
            if (hint != null) {
                slot.hints.add(hint);
            }
            if (slot.scheduled || closed) {
                return;
            }
            slot.scheduled = true;
        }
        submit(() -> {
            Set<String> hints;
            synchronized (slot) {
                hints = new TreeSet<>(slot.hints);
                slot.hints.clear();
                slot.scheduled = false;
            }
            if (gen == generation && connection != null) {
                read(slot, hints, false);
            }
        }, config.settle().toMillis());
    }

    private <T> void read(Slot<T> slot, Set<String> hints, boolean full) {
        int gen = generation;
        T next;
        try {
            next = full ? slot.source.read(connection) : slot.source.refresh(connection, slot.records, hints);
        } catch (DBusException | DBusExecutionException e) {
            if (connection == null || !connection.isConnected()) {
                lost(gen, e.getMessage());
            } else if (slot.state != DbusSourceState.ABSENT) {
                // the service is on the bus but failed the call (going away, or a bug): keep what we had
                LOG.log(Level.DEBUG, () -> slot.source.id() + ": read failed: " + e.getMessage());
            }
            return;
        }
        if (slot.state != DbusSourceState.PRESENT) {
            LOG.log(Level.INFO, () -> slot.source.id() + ": present on " + address + ", "
                    + slot.source.keyed(next).size() + " records");
        }
        update(slot, next, DbusSourceState.PRESENT);
    }

    private <T> void absent(Slot<T> slot) {
        if (slot.state != DbusSourceState.ABSENT) {
            LOG.log(Level.INFO, () -> slot.source.id() + ": service " + slot.source.busName()
                    + " is not on the bus: source absent until it appears");
        }
        update(slot, slot.source.empty(), DbusSourceState.ABSENT);
    }

    private <T> void update(Slot<T> slot, T next, DbusSourceState state) {
        T previous = slot.records;
        slot.records = next;
        slot.state = state;
        for (DbusChange change : diff(slot.source.id(), slot.source.keyed(previous), slot.source.keyed(next))) {
            for (Consumer<DbusChange> listener : listeners) {
                try {
                    listener.accept(change);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, () -> "dbus: a change listener failed on " + change + ": " + e);
                }
            }
        }
    }

    /** The keys added, removed or changed between two reads, in key order. */
    static List<DbusChange> diff(String source, SortedMap<String, ?> before, SortedMap<String, ?> after) {
        SortedMap<String, DbusChange.Kind> kinds = new TreeMap<>();
        for (var e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                kinds.put(e.getKey(), DbusChange.Kind.REMOVED);
            } else if (!Objects.equals(e.getValue(), after.get(e.getKey()))) {
                kinds.put(e.getKey(), DbusChange.Kind.CHANGED);
            }
        }
        for (String key : after.keySet()) {
            if (!before.containsKey(key)) {
                kinds.put(key, DbusChange.Kind.ADDED);
            }
        }
        List<DbusChange> out = new ArrayList<>();
        kinds.forEach((key, kind) -> out.add(new DbusChange(source, kind, key)));
        return out;
    }

    /** A source with its records and pending signal hints. */
    private static final class Slot<T> {
        final DbusSource<T> source;
        volatile T records;
        volatile DbusSourceState state = DbusSourceState.NO_BUS;
        final List<AutoCloseable> handles = new ArrayList<>();
        final Set<String> hints = new TreeSet<>();
        boolean scheduled;

        Slot(DbusSource<T> source) {
            this.source = source;
            this.records = source.empty();
        }
    }

    /** dbus-java reports a dead connection through one of these callbacks, on its own threads. */
    private final class Lost implements IDisconnectCallback {
        private final int gen;

        Lost(int gen) {
            this.gen = gen;
        }

        private void report(String reason) {
            submit(() -> lost(gen, reason), 0);
        }

        @Override
        public void disconnectOnError(IOException e) {
            report(String.valueOf(e.getMessage()));
        }

        @Override
        public void clientDisconnect() {
            report("the bus closed the connection");
        }

        @Override
        public void exceptionOnTerminate(IOException e) {
            report(String.valueOf(e.getMessage()));
        }

        @Override
        public void requestedDisconnect(Integer connectionId) {
            report("disconnected");
        }
    }
}
