package io.tessera.engine.command;

/**
 * Where commands are ordered and applied: a node on its own ({@link LocalLog}) or a replicated group.
 * Every change of replicated state goes through {@link #submit}; there is no other write path.
 *
 * <p>Thread-safe.
 */
public interface CommandLog extends AutoCloseable {

    /**
     * Logs {@code command}, waits (within a bound) until it is durable and applied, and returns its
     * answer: the result, or the EngineException the state answered with (NO_SUCH_UPLOAD, ...).
     * SLOW_DOWN when no answer came within the bound (the command may still apply).
     */
    <R> R submit(Command<R> command);

    @Override
    void close();
}
