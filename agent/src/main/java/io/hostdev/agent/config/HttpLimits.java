package io.hostdev.agent.config;

import java.time.Duration;

/**
 * What the HTTP layer allows, so that many or slow clients cost bounded memory and never a crash.
 *
 * @param maxSubscribers    concurrent {@code /v1/watch} streams; one more is answered 429
 * @param maxSelectorLength characters of one selector; longer is 400 (414 when the request line itself is too long)
 * @param maxRequestBytes   bytes of a request's line and headers (and body); more is 413
 * @param heartbeat         the period of the {@code : heartbeat} comment on idle streams
 * @param subscriberQueue   events queued for one stream; a stream that falls this far behind gets
 *                          {@code resync} and is closed
 */
public record HttpLimits(int maxSubscribers, int maxSelectorLength, long maxRequestBytes, Duration heartbeat,
                         int subscriberQueue) {
}
