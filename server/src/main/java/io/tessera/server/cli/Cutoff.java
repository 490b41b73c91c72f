package io.tessera.server.cli;

import java.time.Duration;
import java.time.Instant;

/**
 * Which uploads an admin command means: those older than an age (measured by whoever answers, with its
 * clock), or those started at or before a fixed instant (what a long abort run keeps once it has begun,
 * so that it ends).
 *
 * @param olderThan the age, or null
 * @param before    the instant, or null; exactly one of the two is given
 */
record Cutoff(Duration olderThan, Instant before) {
    Cutoff {
        if ((olderThan == null) == (before == null)) {
            throw new IllegalArgumentException("a cutoff is an age or an instant");
        }
    }

    static Cutoff olderThan(Duration d) {
        return new Cutoff(d, null);
    }

    static Cutoff before(Instant t) {
        return new Cutoff(null, t);
    }

    /** The admin API's query parameter: {@code older-than} or {@code before}. */
    String parameter() {
        return olderThan != null ? "older-than" : "before";
    }

    String value() {
        return olderThan != null ? olderThan.toString() : before.toString();
    }
}
