package io.hostdev.agent.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the agent's HTTP API listens: {@code HOST:PORT}, an IPv6 address in brackets
 * ({@code [::1]:8742}). Port 0 asks the kernel for a free one (tests).
 *
 * @param host a host name, an IPv4 address or an IPv6 address (without brackets)
 */
public record ListenAddress(String host, int port) {

    private static final Pattern FORM = Pattern.compile("(?:\\[([0-9A-Fa-f:.%a-zA-Z0-9]+)]|([^:\\[\\]]+)):([0-9]{1,5})");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    public ListenAddress {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
    }

    /**
     * Parses {@code HOST:PORT} or {@code [IPV6]:PORT}.
     *
     * @throws IllegalArgumentException saying what form is expected
     */
    public static ListenAddress parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (127.0.0.1:8742, [::1]:8742, 0.0.0.0:8742)");
        }
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is above 65535");
        }
        return new ListenAddress(m.group(1) != null ? m.group(1) : m.group(2), port);
    }

    /**
     * True for {@code localhost} and loopback address literals ({@code 127.0.0.0/8}, {@code ::1}).
     * Any other name is taken as not loopback without asking DNS: a name that resolves elsewhere
     * must never skip TLS.
     */
    public boolean isLoopback() {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IPV4.matcher(host).matches() && !host.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
