package io.tessera.server.route;

import java.util.Objects;

/**
 * The outcome of routing one request: which {@link Operation} it asks for, on which bucket and key.
 *
 * @param operation the S3 operation, never null
 * @param bucket the bucket name, null only for {@link Operation#ListBuckets}
 * @param key the object key, non-null exactly when {@link Operation#targetsObject()} is true
 */
public record Route(Operation operation, String bucket, String key) {
    public Route {
        Objects.requireNonNull(operation, "operation");
        if ((bucket == null) != (operation == Operation.ListBuckets)) {
            throw new IllegalArgumentException(operation + " with bucket " + bucket);
        }
        if ((key != null) != operation.targetsObject()) {
            throw new IllegalArgumentException(operation + " with key " + key);
        }
    }
}
