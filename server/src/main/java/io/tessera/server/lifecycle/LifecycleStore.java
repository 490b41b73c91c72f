package io.tessera.server.lifecycle;

import io.tessera.engine.Engine;

/**
 * Where a bucket's lifecycle configuration lives: the engine's bucket sub-resource document
 * {@value #DOCUMENT}, holding the XML that GetBucketLifecycleConfiguration answers. The engine keeps it
 * with the bucket and drops it with the bucket. Callers run on a thread that may call the engine
 * synchronously (an engine I/O thread or the lifecycle scheduler). Stateless.
 */
public final class LifecycleStore {
    /** The name of the engine's bucket document. */
    public static final String DOCUMENT = "lifecycle";

    private LifecycleStore() {
    }

    /** The stored document, or null when the bucket has no lifecycle configuration. */
    public static byte[] raw(Engine engine, String bucket) {
        return engine.bucketConfig(bucket, DOCUMENT);
    }

    /** The bucket's rules, or null when it has none. */
    public static LifecycleRules load(Engine engine, String bucket) {
        byte[] doc = raw(engine, bucket);
        return doc == null ? null : LifecycleRules.fromStored(doc);
    }

    /** Replaces the bucket's configuration. */
    public static void save(Engine engine, String bucket, LifecycleRules rules) {
        engine.setBucketConfig(bucket, DOCUMENT, rules.toBytes());
    }

    /** Removes the bucket's configuration (nothing happens when it has none). */
    public static void delete(Engine engine, String bucket) {
        engine.setBucketConfig(bucket, DOCUMENT, null);
    }
}
