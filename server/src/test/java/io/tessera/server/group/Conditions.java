package io.tessera.server.group;

import java.time.Duration;
import java.util.function.Supplier;

/** Waiting on a group's state from outside, where no event says it changed: a bounded poll. */
final class Conditions {
    private Conditions() {
    }

    /** Polls {@code check} until it answers null (met) or {@code bound} passes; fails with its last answer. */
    static void await(Duration bound, Supplier<String> check) {
        long deadline = System.nanoTime() + bound.toNanos();
        String why;
        while ((why = check.get()) != null) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + bound + ": " + why);
            }
            try {
                Thread.sleep(50); // polling a condition, bounded above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
