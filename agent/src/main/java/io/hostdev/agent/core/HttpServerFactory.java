package io.hostdev.agent.core;

import io.hostdev.agent.config.AgentConfig;
import io.hostdev.agent.service.AgentService;

import java.util.logging.Logger;

/**
 * Starts the HTTP API over a running agent: how {@code hostdev agent} reaches the HTTP layer
 * without depending on it. The HTTP layer supplies the implementation; {@code AgentCommand} calls
 * it once the core has started, and registers {@link Server#close} as the core's close hook, so
 * a stopping agent ends every stream cleanly before its journal closes.
 */
@FunctionalInterface
public interface HttpServerFactory {

    /**
     * Starts serving {@code service} as {@code config} says (listen address, TLS, tokens, limits,
     * device facts), returning once it accepts connections.
     *
     * @throws Exception when it cannot serve (address in use, bad TLS material...): the agent
     *                   stops and reports it
     */
    Server start(AgentService service, AgentConfig config) throws Exception;

    /** A running server. */
    interface Server extends AutoCloseable {

        /** The base URL clients use ({@code http://127.0.0.1:8742}); null when nothing serves. */
        String url();

        /** Ends every stream cleanly and stops listening; called once, on the agent's stop. */
        @Override
        void close();
    }

    /** No HTTP layer in this build: the agent probes and journals, and says that nothing serves. */
    HttpServerFactory NONE = (service, config) -> {
        Logger.getLogger("io.hostdev.agent").warning("this build has no HTTP layer: nothing listens on "
                + config.listen());
        return new Server() {
            @Override
            public String url() {
                return null;
            }

            @Override
            public void close() {
            }
        };
    };
}
