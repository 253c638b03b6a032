package io.hostdev.probes;

/**
 * One source of host facts. A probe is stateless: it reads through the {@link HostFiles} it is
 * given and returns what it found; caching, scheduling and diffing belong to the agent. "Not
 * present on this host" is an empty result, not an error.
 *
 * @param <T> what the probe produces
 */
public interface Probe<T> {

    /** Stable dotted id used in config, logs and metric labels, e.g. {@code sysfs}. */
    String id();

    T probe(HostFiles host) throws ProbeException;
}
