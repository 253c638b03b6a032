package io.hostdev.agent.cli;

import io.hostdev.agent.config.AgentConfig;
import io.hostdev.agent.config.HttpLimits;
import io.hostdev.agent.config.TlsConfig;
import io.hostdev.agent.core.AgentCore;
import io.hostdev.agent.core.HttpServerFactory;
import io.hostdev.agent.http.AgentHttpServer;
import io.hostdev.agent.http.HttpSettings;
import io.hostdev.agent.metrics.AgentMetrics;
import io.hostdev.agent.metrics.MetricsSettings;
import io.hostdev.agent.service.AgentService;


/**
 * What {@code hostdev agent} serves: the HTTP API (Jetty) with {@code /metrics} from the agent's own
 * Micrometer registry, both set up from the agent's configuration.
 */
final class AgentServer implements HttpServerFactory {

    @Override
    public Server start(AgentService service, AgentConfig config) {
        String facts = config.deviceFacts().selector() == null
                ? MetricsSettings.DEFAULT_DEVICE_FACTS : config.deviceFacts().selector();
        AgentMetrics metrics = new AgentMetrics(service, MetricsSettings.of(facts, config.deviceFacts().maxSeries()));
        if (service instanceof AgentCore core) {
            core.addProbeRunListener(metrics::recordProbeRun);
        }
        AgentHttpServer http = new AgentHttpServer(service, settings(config), metrics::scrape);
        try {
            http.start();
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        metrics.countSubscribersWith(http::subscribers);
        return new Server() {
            @Override
            public String url() {
                return http.url();
            }

            @Override
            public void close() {
                try {
                    http.close();
                } finally {
                    metrics.close();
                }
            }
        };
    }

    /** The HTTP layer's settings from the agent's configuration (docs/agent.md lists the keys). */
    static HttpSettings settings(AgentConfig config) {
        HttpLimits l = config.limits();
        HttpSettings.Limits defaults = HttpSettings.Limits.DEFAULTS;
        // one budget for a request: its line and headers, and any body
        int headerBytes = (int) Math.min(l.maxRequestBytes(), Integer.MAX_VALUE);
        HttpSettings.Limits limits = new HttpSettings.Limits(l.maxSubscribers(), l.maxSelectorLength(), headerBytes,
                l.maxRequestBytes(), defaults.idleTimeout(), defaults.maxThreads());
        return new HttpSettings(config.listen().host(), config.listen().port(), tls(config.tls()), config.tokens(),
                config.insecure(), limits, l.heartbeat(), l.subscriberQueue());
    }

    private static HttpSettings.Tls tls(TlsConfig t) {
        if (!t.enabled()) {
            return null;
        }
        return t.pem() ? new HttpSettings.Tls.Pem(t.certificate(), t.key())
                : new HttpSettings.Tls.Pkcs12(t.keystore(), t.keystorePasswordFile());
    }
}
