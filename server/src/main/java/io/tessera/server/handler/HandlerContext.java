package io.tessera.server.handler;

import io.tessera.engine.AsyncEngine;
import io.tessera.server.keys.KeyRing;
import java.util.concurrent.Executor;

/**
 * What every handler shares: the engine (for calls off the event loop), the owners' display names,
 * the node's region, the error renderer and the keys with their permissions. Immutable.
 *
 * @param engine the engine; every call on it runs on its I/O threads
 * @param owners display names of owners
 * @param region the node's region
 * @param errors renders failures as S3 error answers
 * @param keys   what each access key may do on each bucket
 */
public record HandlerContext(AsyncEngine engine, Owners owners, String region, ErrorResponses errors, KeyRing keys) {
    /** The engine's I/O threads as an executor, for work that belongs to one request. */
    public Executor io() {
        return engine::run;
    }
}
