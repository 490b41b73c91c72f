package io.tessera.server.fuzz;

import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Multiplies the tries of a fuzzing property (not of an {@code @Example}) by
 * {@code -Dtessera.fuzz.scale=N} (default 1), so the normal test run stays short while a longer
 * campaign is one flag away:
 * {@code mvn -pl server -am test -Dgroups=fuzz -Dtessera.fuzz.scale=20}.
 * Register it with {@code @AddLifecycleHook(FuzzScale.class)}. Stateless.
 */
public final class FuzzScale implements AroundPropertyHook {
    /** The tag of the fuzzing properties, for {@code -Dgroups=fuzz}. */
    public static final String TAG = "fuzz";
    /** The system property holding the factor. */
    public static final String PROPERTY = "tessera.fuzz.scale";

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.DIRECT_DESCENDANTS; // registered on a class: every property in it
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        int scale = Math.max(1, Integer.getInteger(PROPERTY, 1));
        if (context.findAnnotation(Example.class).isEmpty()) {
            context.attributes().tries().ifPresent(t -> context.attributes().setTries(t * scale));
        }
        return property.execute();
    }
}
