package io.hostdev.model.select;

import io.hostdev.model.Device;
import io.hostdev.model.DeviceContext;
import io.hostdev.model.DeviceMatcher;
import io.hostdev.model.DeviceTree;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed selector such as {@code bus='pci' and cap='net'}: the one filter language of the CLI, the HTTP API,
 * subscriptions and metrics include lists. docs/selectors.md is its reference: syntax, fields, how values
 * compare, what a missing field does, the NFD operators' equivalents.
 *
 * <p>Immutable and thread-safe. Parsing checks everything it can (fields, value types, regexes) and throws only
 * {@link SelectorSyntaxException}; evaluation never throws, whatever the device.
 */
public final class Selector implements DeviceMatcher {

    private final String expression;
    private final Condition condition;

    private Selector(String expression, Condition condition) {
        this.expression = expression;
        this.condition = condition;
    }

    /**
     * Parses a selector.
     *
     * @throws SelectorSyntaxException naming the column and what was expected there
     */
    public static Selector parse(String expression) {
        return new Selector(expression, Parser.parse(expression));
    }

    /** The selector as it was written. */
    public String expression() {
        return expression;
    }

    /**
     * Whether the device, at its place in a tree, matches. The context supplies {@code bus} (every bus on the
     * path to the root) and {@code under(...)}; without one (null), {@code bus} is only the device's own bus and
     * {@code under(NAME)} only matches the device NAME itself.
     */
    @Override
    public boolean matches(Device device, DeviceContext context) {
        return device != null && condition.test(device, context);
    }

    /** The devices of the tree that match, in the tree's order. */
    public List<Device> select(DeviceTree tree) {
        List<Device> out = new ArrayList<>();
        for (Device d : tree.devices()) {
            if (matches(d, tree.context(d.name()))) {
                out.add(d);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selector s && s.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }
}
