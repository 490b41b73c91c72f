package io.tessera.engine;

import java.time.Instant;

/** A bucket: its name, immutable internal id, creation time and owner. */
public record BucketInfo(String name, long id, Instant created, String owner) {
}
