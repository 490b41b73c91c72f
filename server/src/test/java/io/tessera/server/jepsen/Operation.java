package io.tessera.server.jepsen;

import java.util.Locale;
import java.util.Objects;

/**
 * One client operation on one key of a register (an S3 object): what it was, what it answered, and when
 * it was invoked and completed on the recorder's monotonic clock. Immutable.
 *
 * @param id the operation's number in its history (invocation order when recorded)
 * @param client the client (a thread, a connection) that ran it; a client runs one operation at a time
 * @param key the register it acted on
 * @param kind write, read or delete
 * @param value for a write the value written; for a read that answered, the value it saw, or null when
 *     the key was absent (S3's NoSuchKey); null for a delete and for a read that did not answer
 * @param invokedNanos when the client sent it
 * @param completedNanos when the client got the answer (or gave up, for {@link Outcome#UNKNOWN})
 * @param outcome whether it took effect
 */
public record Operation(long id, int client, String key, Kind kind, String value, long invokedNanos,
        long completedNanos, Outcome outcome) {

    /** What an operation does to the register. */
    public enum Kind {
        /** Sets the value (PutObject, CompleteMultipartUpload, CopyObject). */
        WRITE,
        /** Answers the value, or absent (GetObject). */
        READ,
        /** Makes the key absent (DeleteObject). */
        DELETE
    }

    /** Whether an operation took effect, as far as its client can tell. */
    public enum Outcome {
        /** Acknowledged: it took effect between its invocation and its completion. */
        OK,
        /** Refused (an S3 4xx): it definitely did not take effect. */
        FAIL,
        /**
         * No answer (a timeout, a 5xx, a reset connection): it may have taken effect at any time after its
         * invocation, even after the client gave up, or never.
         */
        UNKNOWN
    }

    public Operation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        if (kind == Kind.WRITE && value == null) {
            throw new IllegalArgumentException("a write needs a value: " + id);
        }
        if (kind == Kind.DELETE && value != null) {
            throw new IllegalArgumentException("a delete has no value: " + id);
        }
        if (completedNanos < invokedNanos) {
            throw new IllegalArgumentException("operation " + id + " completed before it was invoked");
        }
    }

    /** Whether this is a read that answered a value or absent (the only reads that constrain anything). */
    public boolean isObservingRead() {
        return kind == Kind.READ && outcome == Outcome.OK;
    }

    /**
     * One line for a report, times in milliseconds after {@code originNanos}: for instance
     * {@code #12 c3 read -> "v7" ok [+1.250, +2.031] ms}.
     */
    public String describe(long originNanos) {
        String what = switch (kind) {
            case WRITE -> "write " + quote(value);
            case DELETE -> "delete";
            case READ -> outcome == Outcome.OK ? "read -> " + (value == null ? "absent" : quote(value)) : "read";
        };
        String end = outcome == Outcome.UNKNOWN ? "..." : millis(completedNanos - originNanos);
        return String.format(Locale.ROOT, "#%d c%d %s %s [%s, %s] ms", id, client, what,
                outcome.name().toLowerCase(Locale.ROOT), millis(invokedNanos - originNanos), end);
    }

    private static String quote(String v) {
        return '"' + v + '"';
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "+%.3f", nanos / 1e6);
    }
}
