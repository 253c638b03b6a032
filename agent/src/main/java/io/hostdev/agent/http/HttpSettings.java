package io.hostdev.agent.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP API listens and what it allows. docs/http-api.md and docs/security.md describe each
 * setting; the agent's configuration file and flags fill this record.
 *
 * @param host       the address to listen on: a loopback address unless TLS and tokens are set, or
 *                   {@code insecure}
 * @param port       the TCP port; 0 picks a free one ({@link AgentHttpServer#port()} tells which)
 * @param tls        the server's certificate and key; null for plain HTTP
 * @param tokenFile  the bearer tokens and their scopes (docs/security.md has the format); null for no
 *                   authentication, which only a loopback address (or {@code insecure}) allows
 * @param insecure   allow a non-loopback address without TLS or tokens
 * @param limits     request and stream limits
 * @param heartbeat  how often an open watch stream gets a {@code : heartbeat} comment
 * @param queueSize  how many raw change events may wait for one watch stream before it is told to
 *                   resync and closed
 */
public record HttpSettings(String host, int port, Tls tls, Path tokenFile, boolean insecure, Limits limits,
                           Duration heartbeat, int queueSize) {

    /** The loopback address the API listens on unless told otherwise. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    /** Raw events per stream: a few large hotplug cycles (hundreds of SR-IOV functions) fit. */
    public static final int DEFAULT_QUEUE_SIZE = 4096;

    public HttpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (host.isBlank()) {
            throw new IllegalArgumentException("the listen host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
        }
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive, not " + heartbeat);
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize must be at least 1, not " + queueSize);
        }
    }

    /** Plain HTTP on the default loopback address, no tokens, default limits. */
    public static HttpSettings loopback(int port) {
        return new HttpSettings(DEFAULT_HOST, port, null, null, false, Limits.DEFAULTS, DEFAULT_HEARTBEAT,
                DEFAULT_QUEUE_SIZE);
    }

    public HttpSettings withHost(String h) {
        return new HttpSettings(h, port, tls, tokenFile, insecure, limits, heartbeat, queueSize);
    }

    public HttpSettings withTls(Tls t) {
        return new HttpSettings(host, port, t, tokenFile, insecure, limits, heartbeat, queueSize);
    }

    public HttpSettings withTokenFile(Path f) {
        return new HttpSettings(host, port, tls, f, insecure, limits, heartbeat, queueSize);
    }

    public HttpSettings withInsecure(boolean i) {
        return new HttpSettings(host, port, tls, tokenFile, i, limits, heartbeat, queueSize);
    }

    public HttpSettings withLimits(Limits l) {
        return new HttpSettings(host, port, tls, tokenFile, insecure, l, heartbeat, queueSize);
    }

    public HttpSettings withHeartbeat(Duration d) {
        return new HttpSettings(host, port, tls, tokenFile, insecure, limits, d, queueSize);
    }

    public HttpSettings withQueueSize(int n) {
        return new HttpSettings(host, port, tls, tokenFile, insecure, limits, heartbeat, n);
    }

    /** The server's TLS identity: a PEM certificate chain and PKCS#8 key, or a PKCS#12 file. */
    public sealed interface Tls permits Tls.Pem, Tls.Pkcs12 {

        /**
         * @param certificateChain PEM file: the server's certificate first, then its intermediates
         * @param privateKey       PEM file: the unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY})
         */
        record Pem(Path certificateChain, Path privateKey) implements Tls {
            public Pem {
                Objects.requireNonNull(certificateChain, "certificateChain");
                Objects.requireNonNull(privateKey, "privateKey");
            }
        }

        /**
         * @param keyStore     PKCS#12 file holding one private key and its certificate chain
         * @param passwordFile file whose first line is the keystore's password
         */
        record Pkcs12(Path keyStore, Path passwordFile) implements Tls {
            public Pkcs12 {
                Objects.requireNonNull(keyStore, "keyStore");
                Objects.requireNonNull(passwordFile, "passwordFile");
            }
        }
    }

    /**
     * What one client may ask of the server.
     *
     * @param maxSubscribers    open watch streams at once; one more is answered 429
     * @param maxSelectorLength characters of a selector; a longer one is answered 400
     * @param maxHeaderBytes    bytes of the request line and headers together: a longer request line
     *                          is answered 414, longer headers 413
     * @param maxBodyBytes      bytes of a request body (no endpoint needs one); more is answered 413
     * @param idleTimeout       how long a connection may stay silent, and a write may stall, before it
     *                          is closed; for a watch stream, which is silent between heartbeats, only
     *                          the stalled write counts
     * @param maxThreads        the server's thread pool; idle watch streams hold none
     */
    public record Limits(int maxSubscribers, int maxSelectorLength, int maxHeaderBytes, long maxBodyBytes,
                         Duration idleTimeout, int maxThreads) {

        /** 1,024 streams, 2,048-character selectors, 8 KiB of headers, 64 KiB of body, 30 s idle, 32 threads. */
        public static final Limits DEFAULTS = new Limits(1024, 2048, 8192, 64 * 1024, Duration.ofSeconds(30), 32);

        public Limits {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (maxSubscribers < 0) {
                throw new IllegalArgumentException("maxSubscribers must not be negative, not " + maxSubscribers);
            }
            if (maxSelectorLength < 1) {
                throw new IllegalArgumentException("maxSelectorLength must be at least 1, not " + maxSelectorLength);
            }
            if (maxHeaderBytes < 1024) {
                throw new IllegalArgumentException("maxHeaderBytes must be at least 1024, not " + maxHeaderBytes);
            }
            if (maxBodyBytes < 0) {
                throw new IllegalArgumentException("maxBodyBytes must not be negative, not " + maxBodyBytes);
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive, not " + idleTimeout);
            }
            if (maxThreads < 8) {
                // Jetty's acceptor and selector threads come out of the same pool
                throw new IllegalArgumentException("maxThreads must be at least 8, not " + maxThreads);
            }
        }

        public Limits withMaxSubscribers(int n) {
            return new Limits(n, maxSelectorLength, maxHeaderBytes, maxBodyBytes, idleTimeout, maxThreads);
        }

        public Limits withMaxSelectorLength(int n) {
            return new Limits(maxSubscribers, n, maxHeaderBytes, maxBodyBytes, idleTimeout, maxThreads);
        }

        public Limits withMaxHeaderBytes(int n) {
            return new Limits(maxSubscribers, maxSelectorLength, n, maxBodyBytes, idleTimeout, maxThreads);
        }

        public Limits withMaxBodyBytes(long n) {
            return new Limits(maxSubscribers, maxSelectorLength, maxHeaderBytes, n, idleTimeout, maxThreads);
        }

        public Limits withIdleTimeout(Duration d) {
            return new Limits(maxSubscribers, maxSelectorLength, maxHeaderBytes, maxBodyBytes, d, maxThreads);
        }

        public Limits withMaxThreads(int n) {
            return new Limits(maxSubscribers, maxSelectorLength, maxHeaderBytes, maxBodyBytes, idleTimeout, n);
        }
    }
}
