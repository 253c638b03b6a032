package io.hostdev.agent.client;

import com.fasterxml.jackson.databind.ObjectReader;
import io.hostdev.model.ModelJson;
import io.hostdev.model.change.ChangeEvent;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows {@code GET /v1/watch}: each change event goes to a {@link Listener}; heartbeats only prove
 * the connection alive. When the connection drops (the agent restarts, a proxy cuts it, nothing —
 * not even a heartbeat — arrives within the idle timeout), it reconnects after a backoff that
 * doubles from {@link #initialBackoff} up to {@link #maxBackoff} (with jitter, so watchers of a
 * restarted agent do not return in step), sending the last event id as {@code Last-Event-ID}, so no
 * event is lost or repeated. It ends only when the agent says {@code resync} (a 410, or a resync
 * event): the caller must list again.
 */
public final class Watch {

    /** Three missed heartbeats at the agent's default interval of 15 s. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(45);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    private static final ObjectReader EVENTS = ModelJson.reader().forType(ChangeEvent.class);

    /** Receives what the stream brings; called on the thread that called {@link #run}. */
    public interface Listener {

        /** A change event ({@code added}, {@code removed}, {@code updated}) and its cursor. */
        void event(String cursor, ChangeEvent event);

        /** The connection dropped; the next attempt follows after {@code delay}. */
        default void reconnecting(String why, Duration delay) {
        }
    }

    private final AgentClient client;
    private final String selector;
    private final String since;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Integer maxRetries;
    private Long retryHint;
    private volatile String lastEventId;

    Watch(AgentClient client, String selector, String since) {
        this.client = client;
        this.selector = selector;
        this.since = since;
    }

    /** Reconnect when nothing at all arrives for this long. */
    public Watch idleTimeout(Duration d) {
        idleTimeout = positive(d, "idle timeout");
        return this;
    }

    /** The first reconnection delay, doubled at each failed attempt up to {@code max}. */
    public Watch backoff(Duration initial, Duration max) {
        initialBackoff = positive(initial, "backoff");
        maxBackoff = positive(max, "maximum backoff");
        return this;
    }

    /** Give up after this many failed attempts in a row (null, the default: never). */
    public Watch maxRetries(Integer n) {
        maxRetries = n;
        return this;
    }

    /** The id of the last frame received: the cursor to resume from. */
    public String lastEventId() {
        return lastEventId;
    }

    /**
     * Follows the stream until the agent asks for a resync, and returns its problem (with
     * {@code head} and {@code resync}).
     *
     * @throws ApiException    for an answer that retrying cannot change (400, 401, 403, 404...)
     * @throws ClientException after {@link #maxRetries} failed attempts in a row, or when interrupted
     */
    public Problem run(Listener listener) {
        int failures = 0;
        while (true) {
            Outcome o = connect(listener);
            if (o.resync != null) {
                return o.resync;
            }
            failures = o.connected ? 1 : failures + 1;
            if (maxRetries != null && failures > maxRetries) {
                throw new ClientException("gave up following " + client.base() + "/v1/watch after " + failures
                        + (failures == 1 ? " attempt: " : " attempts: ") + o.why);
            }
            Duration delay = delay(failures);
            listener.reconnecting(o.why, delay);
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientException("interrupted");
            }
        }
    }

    /** The wait before attempt {@code failures + 1}: doubling from the base, capped, 50–100 % of it at random. */
    Duration delay(int failures) {
        long base = retryHint != null ? Math.max(1, retryHint) : initialBackoff.toMillis();
        long d = base;
        for (int i = 1; i < failures && d < maxBackoff.toMillis(); i++) {
            d *= 2;
        }
        d = Math.min(d, maxBackoff.toMillis());
        return Duration.ofMillis(d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1));
    }

    /** What one connection ended with. */
    private record Outcome(Problem resync, boolean connected, String why) {
    }

    /** Markers in the queue besides lines. */
    private record Opened() {
    }

    private record Failed(int status, String body) {
    }

    private record Ended(Throwable cause) {
    }

    private Outcome connect(Listener listener) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("selector", selector);
        params.put("since", lastEventId == null ? since : null);
        HttpRequest.Builder rb = client.request("/v1/watch" + AgentClient.query(params), AgentClient.EVENT_STREAM)
                .GET();
        if (lastEventId != null) {
            rb.header("Last-Event-ID", lastEventId);
        }
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        AtomicBoolean streaming = new AtomicBoolean();
        HttpResponse.BodyHandler<Void> handler = info -> {
            if (info.statusCode() == 200) {
                streaming.set(true);
                queue.add(new Opened());
                return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines(queue, subscription));
            }
            return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                    body -> {
                        queue.add(new Failed(info.statusCode(), body));
                        return null;
                    });
        };
        CompletableFuture<HttpResponse<Void>> response = client.http().sendAsync(rb.build(), handler);
        // a stream's end is told by its line subscriber, after its last line: the response future completes
        // as soon as the body ends, before the lines a slow reader has not asked for yet (a last resync frame)
        response.whenComplete((r, t) -> {
            if (!streaming.get()) {
                queue.add(new Ended(t));
            }
        });
        SseParser parser = new SseParser(lastEventId);
        boolean connected = false;
        try {
            while (true) {
                Object item = queue.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (item == null) {
                    cancel(subscription, response);
                    return new Outcome(null, connected, "nothing received for " + seconds(idleTimeout)
                            + " (not even a heartbeat)");
                }
                if (item instanceof Opened) {
                    // an answer alone proves little: a proxy may answer and pass nothing on
                    continue;
                } else if (item instanceof String line) {
                    // anything at all, a heartbeat too, shows the stream works: the backoff starts over
                    connected = true;
                    SseEvent event = parser.line(line);
                    if (parser.lastEventId() != null) {
                        lastEventId = parser.lastEventId();
                    }
                    if (parser.retry() != null) {
                        retryHint = parser.retry();
                    }
                    if (event != null) {
                        Problem resync = deliver(event, listener);
                        if (resync != null) {
                            cancel(subscription, response);
                            return new Outcome(resync, connected, null);
                        }
                    }
                    Flow.Subscription s = subscription.get();
                    if (s != null) {
                        s.request(1);
                    }
                } else if (item instanceof Failed f) {
                    Problem p = Problem.parse(f.status(), f.body());
                    if (f.status() == 410) {
                        return new Outcome(p, false, null);
                    }
                    if (f.status() == 429 || f.status() >= 500) {
                        return new Outcome(null, false, "the agent answered HTTP " + f.status() + ": " + p.oneLine());
                    }
                    throw new ApiException(p);
                } else if (item instanceof Ended end) {
                    Throwable t = end.cause() instanceof CompletionException c && c.getCause() != null
                            ? c.getCause() : end.cause();
                    String why = t == null ? "the agent closed the stream"
                            : t instanceof IOException io ? client.unreachable(io).getMessage()
                            : String.valueOf(t.getMessage());
                    return new Outcome(null, connected, why);
                }
            }
        } catch (InterruptedException e) {
            cancel(subscription, response);
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted");
        }
    }

    /** Hands a change event to the listener; the resync problem when the agent says so; null otherwise. */
    private static Problem deliver(SseEvent event, Listener listener) {
        switch (event.type()) {
            case "added", "removed", "updated" -> {
                ChangeEvent change;
                try {
                    change = EVENTS.readValue(event.data());
                } catch (IOException | IllegalArgumentException e) {
                    throw new ClientException("the agent sent a '" + event.type() + "' event that is not a change "
                            + "event (id " + event.id() + "): " + e.getMessage(), e);
                }
                listener.event(event.id(), change);
                return null;
            }
            case "resync" -> {
                return Problem.parse(410, event.data());
            }
            default -> {
                // "head" only carries the cursor the stream starts at (kept as the last event id);
                // other types are for newer clients
                return null;
            }
        }
    }

    private static void cancel(AtomicReference<Flow.Subscription> subscription, CompletableFuture<?> response) {
        Flow.Subscription s = subscription.get();
        if (s != null) {
            s.cancel();
        }
        response.cancel(true);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }

    /** Puts the stream's lines on the queue, one at a time as the reader asks for them. */
    private static final class Lines implements Flow.Subscriber<String> {

        private final BlockingQueue<Object> queue;
        private final AtomicReference<Flow.Subscription> subscription;

        Lines(BlockingQueue<Object> queue, AtomicReference<Flow.Subscription> subscription) {
            this.queue = queue;
            this.subscription = subscription;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            s.request(1);
        }

        @Override
        public void onNext(String line) {
            queue.add(line);
        }

        @Override
        public void onError(Throwable t) {
            queue.add(new Ended(t));
        }

        @Override
        public void onComplete() {
            queue.add(new Ended(null));
        }
    }
}
