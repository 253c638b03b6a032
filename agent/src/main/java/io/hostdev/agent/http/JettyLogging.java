package io.hostdev.agent.http;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps Jetty's loggers at WARNING or above. Its debug output includes request headers, so an
 * {@code Authorization: Bearer} token would reach the log whenever someone turned on verbose logging
 * (which sets the root logger to FINE); its INFO lines (versions, connectors started and stopped)
 * repeat what the agent's own "listening on" line says. Jetty logs through SLF4J, which slf4j-jdk14
 * sends to {@code java.util.logging}, where this level applies.
 */
final class JettyLogging {

    /** Held here: java.util.logging keeps only weak references to loggers, and with them their levels. */
    private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");

    private JettyLogging() {
    }

    /** Raises the level of {@code org.eclipse.jetty} to WARNING when it (or what it inherits) is lower. */
    static void keepAtWarningOrAbove() {
        Level effective = effectiveLevel(JETTY);
        if (effective.intValue() < Level.WARNING.intValue()) {
            JETTY.setLevel(Level.WARNING);
        } else if (JETTY.getLevel() == null) {
            // pin it, so a root logger lowered later does not lower Jetty's too
            JETTY.setLevel(effective);
        }
    }

    private static Level effectiveLevel(Logger logger) {
        for (Logger l = logger; l != null; l = l.getParent()) {
            if (l.getLevel() != null) {
                return l.getLevel();
            }
        }
        return Level.INFO;
    }
}
