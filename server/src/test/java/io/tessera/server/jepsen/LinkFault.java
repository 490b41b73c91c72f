package io.tessera.server.jepsen;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link FaultProxy} does to the bytes of one {@link Direction}: forward them ({@link Pass}),
 * read and discard them ({@link Drop}, a one-way link when only one direction drops, a silent partition
 * when both do), or forward each chunk only after a fixed delay, in order ({@link Delay}). Closing every
 * connection (a partition that the endpoints notice at once) is not a per-direction fault: see
 * {@link FaultProxy#cut()}. Immutable.
 */
public sealed interface LinkFault {
    /** Forwards bytes as they come. */
    record Pass() implements LinkFault { }

    /** Reads bytes and discards them; the connection stays open. */
    record Drop() implements LinkFault { }

    /** Forwards each chunk {@code by} after the proxy read it, never overtaking an earlier chunk. */
    record Delay(Duration by) implements LinkFault {
        public Delay {
            Objects.requireNonNull(by, "by");
            if (by.isNegative()) {
                throw new IllegalArgumentException("negative delay " + by);
            }
        }
    }

    /** Forward as they come. */
    static LinkFault pass() {
        return new Pass();
    }

    /** Read and discard. */
    static LinkFault drop() {
        return new Drop();
    }

    /** Forward each chunk after {@code by}. */
    static LinkFault delay(Duration by) {
        return new Delay(by);
    }
}
