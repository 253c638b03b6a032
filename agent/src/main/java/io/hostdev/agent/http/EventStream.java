package io.hostdev.agent.http;

import io.hostdev.agent.journal.Cursor;
import io.hostdev.agent.journal.JournalEntry;
import io.hostdev.agent.journal.ReadResult;
import io.hostdev.agent.service.AgentService;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.change.ChangeEvent;
import io.hostdev.model.change.SubscriberView;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open {@code GET /v1/watch} stream: it replays the journal from the client's cursor up to where
 * its live subscription starts, then writes live events as they come, each rewritten to the
 * client's selector view.
 *
 * <p>Nothing here blocks or holds a thread while the stream is idle. The agent's core calls
 * {@link #onEvents} from its appending thread: it only appends to this stream's bounded queue and
 * asks the server's pool to write. Writes are asynchronous and one at a time ({@link IteratingCallback}
 * runs {@link #process} again when the previous write completes). A client that reads more slowly
 * than events come fills its queue: it gets {@code event: resync} and the stream ends, so it never
 * holds up the core, other streams, or more memory than its queue. A client that stops reading
 * altogether stalls its write until {@link #closeIfStalled} closes the connection.
 */
final class EventStream extends IteratingCallback implements AgentService.Listener {

    private static final Logger LOG = Logger.getLogger("io.hostdev.http");

    /** Records read from the journal per history page. */
    static final int HISTORY_PAGE = 500;
    /** Events rendered into one write. */
    static final int WRITE_BATCH = 256;

    private enum Phase { HEAD, HISTORY, LIVE }

    /** Why a stream ends before its client leaves: the last frame it gets. */
    private record Ending(String frame) {
    }

    private final AgentService service;
    private final Response response;
    private final EndPoint endPoint;
    private final Callback completion;
    private final Executor executor;
    private final DeviceMatcher matcher;
    private final String selector;
    private final int capacity;
    private final Streams registry;

    private final ConcurrentLinkedQueue<JournalEntry<ChangeEvent>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean heartbeatDue;
    private volatile AgentService.Subscription subscription;
    /** When the pending write began ({@link System#nanoTime}), 0 when none is pending. */
    private volatile long writeSince;

    // touched only in process(), which IteratingCallback runs one at a time
    private Phase phase;
    private Cursor startsAfter;
    private Cursor historyFrom;
    private long processed;
    private boolean committed;
    private boolean finished;

    /**
     * @param selector the selector as written (null for none), for the re-list URL of a resync
     * @param registry told once when the stream has ended, however it ended
     */
    EventStream(AgentService service, Response response, Callback completion, Executor executor,
                DeviceMatcher matcher, String selector, int capacity, Streams registry) {
        this.service = service;
        this.response = response;
        this.endPoint = response.getRequest().getConnectionMetaData().getConnection().getEndPoint();
        this.completion = completion;
        this.executor = executor;
        this.matcher = matcher;
        this.selector = selector;
        this.capacity = capacity;
        this.registry = registry;
    }

    /**
     * Starts writing: from {@code from} (a cursor the client holds, already parsed) through the
     * history to the subscription's start, or, without one, a first {@code head} frame.
     */
    void start(AgentService.Subscription sub, Cursor from) {
        this.subscription = sub;
        this.startsAfter = sub.startsAfter();
        if (from == null) {
            phase = Phase.HEAD;
            processed = startsAfter.sequence();
        } else {
            phase = Phase.HISTORY;
            historyFrom = from;
            processed = from.sequence();
        }
        started = true;
        iterate();
    }

    /** Called by the core, from its appending thread: queue, never block, never write here. */
    @Override
    public void onEvents(List<JournalEntry<ChangeEvent>> entries) {
        if (ending.get() != null || entries.isEmpty()) {
            return;
        }
        for (JournalEntry<ChangeEvent> e : entries) {
            if (queued.incrementAndGet() > capacity) {
                end(Sse.frame(null, "resync", Problem.of("resync", "Resync needed", 410,
                                "this stream fell more than " + capacity + " events behind; reconnect with "
                                        + "Last-Event-ID to catch up from the journal, or list the devices again "
                                        + "and continue from the head")
                        .with("reason", "behind")
                        .with("head", entries.get(entries.size() - 1).cursor().encoded())
                        .with("resync", ApiJson.relist(selector)).json()));
                return;
            }
            queue.add(e);
        }
        wake();
    }

    /**
     * Closes the connection when a write has waited longer than {@code limitNanos}: the client is
     * gone or has stopped reading. Closing fails the pending write, which ends the stream through
     * {@link #onCompleteFailure} once. (Jetty's own idle timeout is off for streams: on a stalled
     * write it fails the write along two paths at once, and the second one logs a warning.)
     */
    void closeIfStalled(long now, long limitNanos) {
        long since = writeSince;
        if (since != 0 && now - since > limitNanos) {
            endPoint.close(new TimeoutException("the client read nothing for "
                    + TimeUnit.NANOSECONDS.toSeconds(now - since) + " s"));
        }
    }

    /** Asks for a {@code : heartbeat} comment at the next chance. */
    void heartbeat() {
        heartbeatDue = true;
        wake();
    }

    /** Ends the stream with a last comment: the server is closing. */
    void shutdown() {
        end(Sse.comment("closing: the agent is shutting down"));
    }

    private void end(String lastFrame) {
        if (ending.compareAndSet(null, new Ending(lastFrame))) {
            wake();
        }
    }

    private void wake() {
        if (started && wakePending.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    wakePending.set(false);
                    iterate();
                });
            } catch (RejectedExecutionException e) {
                // the server is stopping: its connections close with it
                wakePending.set(false);
                abort(e);
            }
        }
    }

    @Override
    protected Action process() {
        if (finished) {
            return Action.SUCCEEDED;
        }
        Ending end = ending.get();
        if (end != null) {
            finished = true;
            queue.clear();
            write(true, end.frame());
            return Action.SCHEDULED;
        }
        if (!committed && phase == Phase.HISTORY) {
            // the client learns at once that the stream is open, before any history is read
            committed = true;
            writeSince = Math.max(1, System.nanoTime());
            response.write(false, BufferUtil.EMPTY_BUFFER, this);
            return Action.SCHEDULED;
        }
        StringBuilder out = new StringBuilder();
        switch (phase) {
            case HEAD -> {
                committed = true;
                phase = Phase.LIVE;
                String head = startsAfter.encoded();
                Sse.frame(out, head, "head", ApiJson.line(Map.of("cursor", head)));
            }
            case HISTORY -> {
                if (!history(out)) {
                    finished = true;
                    write(true, out.toString());
                    return Action.SCHEDULED;
                }
                if (out.length() == 0 && phase == Phase.LIVE) {
                    live(out);
                }
            }
            case LIVE -> live(out);
            default -> throw new IllegalStateException(phase.toString());
        }
        if (out.length() == 0) {
            return Action.IDLE;
        }
        write(false, out.toString());
        return Action.SCHEDULED;
    }

    /**
     * Renders history pages until one yields frames or the history reaches the subscription's
     * start (then the phase is LIVE). False when the journal answers resync: {@code out} then
     * holds the resync frame.
     */
    private boolean history(StringBuilder out) {
        while (out.length() == 0 && phase == Phase.HISTORY) {
            ReadResult<ChangeEvent> r = service.changes(historyFrom.encoded(), HISTORY_PAGE);
            if (r instanceof ReadResult.Resync<ChangeEvent> resync) {
                Sse.frame(out, null, "resync", ApiJson.resync(resync, selector).json());
                return false;
            }
            ReadResult.Page<ChangeEvent> page = (ReadResult.Page<ChangeEvent>) r;
            for (JournalEntry<ChangeEvent> e : page.entries()) {
                if (e.sequence() > startsAfter.sequence()) {
                    // appended after the subscription began: it comes from the live queue
                    break;
                }
                render(out, e);
            }
            historyFrom = page.next();
            if (page.entries().isEmpty() || page.next().sequence() >= startsAfter.sequence()) {
                phase = Phase.LIVE;
                processed = Math.max(processed, startsAfter.sequence());
            }
        }
        return true;
    }

    private void live(StringBuilder out) {
        int n = 0;
        JournalEntry<ChangeEvent> e;
        while (n < WRITE_BATCH && (e = queue.poll()) != null) {
            queued.decrementAndGet();
            n++;
            render(out, e);
        }
        if (heartbeatDue) {
            heartbeatDue = false;
            out.append(Sse.comment("heartbeat"));
        }
    }

    /** One journal entry as the client's view sees it; nothing when its selector sees no change. */
    private void render(StringBuilder out, JournalEntry<ChangeEvent> e) {
        if (e.sequence() <= processed) {
            return;
        }
        processed = e.sequence();
        ChangeEvent seen = SubscriberView.view(matcher, e.value());
        if (seen != null) {
            Sse.frame(out, e.cursor().encoded(), seen.kind().json(), ApiJson.line(seen));
        }
    }

    private void write(boolean last, String text) {
        committed = true;
        writeSince = Math.max(1, System.nanoTime());
        response.write(last, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), this);
    }

    @Override
    public void succeeded() {
        writeSince = 0;
        super.succeeded();
    }

    @Override
    protected void onCompleteSuccess() {
        cleanUp();
        completion.succeeded();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
        // the client went away, or stopped reading until the idle timeout: nothing to report to anyone
        LOG.log(Level.FINE, "watch stream ended: " + cause);
        cleanUp();
        completion.failed(cause);
    }

    private void cleanUp() {
        if (cleaned.compareAndSet(false, true)) {
            AgentService.Subscription sub = subscription;
            if (sub != null) {
                sub.close();
            }
            queue.clear();
            registry.closed(this);
        }
    }

    /** Closes the subscription when the stream could not start (the handler answers the error itself). */
    void abandon() {
        cleanUp();
    }
}
