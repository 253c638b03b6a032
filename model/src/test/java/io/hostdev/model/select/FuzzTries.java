package io.hostdev.model.select;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets the build choose how long the fuzz properties run: the system property {@code hostdev.fuzz.tries} (set by the
 * {@code fuzz} Maven profile to one million) replaces the tries a property declares for the normal build.
 */
public class FuzzTries implements AroundPropertyHook {

    static final String PROPERTY = "hostdev.fuzz.tries";

    /** Registered on a class, it applies to the class's properties. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String tries = System.getProperty(PROPERTY, "").strip();
        if (!tries.isEmpty()) {
            context.attributes().setTries(Integer.parseInt(tries));
        }
        return property.execute();
    }
}
