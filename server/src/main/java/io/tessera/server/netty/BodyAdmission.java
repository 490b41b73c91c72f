package io.tessera.server.netty;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Bounds the request bodies a node reads at once, by count and by the memory their read windows may
 * hold. A request with a body is admitted at once when both bounds have room, else it waits in a
 * bounded first-come queue, else it is refused at once. A body alone is always admitted, whatever it
 * reserves, so one large body can never be refused forever.
 *
 * <p>Thread-safe. The lock guards counters only; callbacks run outside it, on the thread that released
 * the room they take (callers hop to their own event loop).
 */
final class BodyAdmission {
    private final int maxBodies;
    private final long maxBytes;
    private final int maxWaiting;
    private final ArrayDeque<Wait> waiting = new ArrayDeque<>();
    private int bodies;
    private long bytes;

    BodyAdmission(int maxBodies, long maxBytes, int maxWaiting) {
        this.maxBodies = maxBodies;
        this.maxBytes = maxBytes;
        this.maxWaiting = maxWaiting;
    }

    /** What became of a request for admission: a ticket now, a place in the queue, or neither (refused). */
    record Outcome(Ticket ticket, Wait queued) {
        boolean refused() {
            return ticket == null && queued == null;
        }
    }

    /** Room taken by one admitted body; {@link #release()} gives it back (idempotent). */
    final class Ticket {
        private final long reserved;
        private boolean released;

        private Ticket(long reserved) {
            this.reserved = reserved;
        }

        void release() {
            List<Runnable> admitted;
            synchronized (BodyAdmission.this) {
                if (released) {
                    return;
                }
                released = true;
                bodies--;
                bytes -= reserved;
                admitted = admitWaiting();
            }
            admitted.forEach(Runnable::run);
        }
    }

    /** A place in the queue; {@link #cancel()} leaves it unless the ticket was already granted. */
    final class Wait {
        private final long reserve;
        private final Consumer<Ticket> onAdmitted;
        private boolean done;

        private Wait(long reserve, Consumer<Ticket> onAdmitted) {
            this.reserve = reserve;
            this.onAdmitted = onAdmitted;
        }

        /** True if this left the queue without a ticket; false if the ticket is granted (or on its way). */
        boolean cancel() {
            synchronized (BodyAdmission.this) {
                if (done) {
                    return false;
                }
                done = true;
                waiting.remove(this);
                return true;
            }
        }
    }

    /**
     * Asks room for a body that may hold {@code reserve} bytes in memory. When the answer is a
     * {@link Wait}, {@code onAdmitted} later receives the ticket, on the thread that freed the room.
     */
    synchronized Outcome request(long reserve, Consumer<Ticket> onAdmitted) {
        if (waiting.isEmpty() && fits(reserve)) {
            return new Outcome(take(reserve), null);
        }
        if (waiting.size() < maxWaiting) {
            Wait w = new Wait(reserve, onAdmitted);
            waiting.add(w);
            return new Outcome(null, w);
        }
        return new Outcome(null, null);
    }

    private boolean fits(long reserve) {
        return bodies == 0 || (bodies < maxBodies && bytes + reserve <= maxBytes);
    }

    private Ticket take(long reserve) {
        bodies++;
        bytes += reserve;
        return new Ticket(reserve);
    }

    /** Grants tickets to the head of the queue while it fits; returns the callbacks to run unlocked. */
    private List<Runnable> admitWaiting() {
        List<Runnable> out = new ArrayList<>(1);
        Wait w;
        while ((w = waiting.peek()) != null && fits(w.reserve)) {
            waiting.poll();
            w.done = true;
            Ticket t = take(w.reserve);
            Consumer<Ticket> callback = w.onAdmitted;
            out.add(() -> callback.accept(t));
        }
        return out;
    }

    synchronized int admitted() {
        return bodies;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
