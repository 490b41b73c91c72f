package io.tessera.server.netty;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Bounds the request bodies a node reads at once, by count and by the memory they may hold, and shares
 * them fairly among clients (an access key, or an address for requests signed by none).
 *
 * <ul>
 *   <li>A large body needs a place among {@code maxBodies} and its reservation within {@code maxBytes}.
 *   <li>A small body (announced length within the engine's small-body limit, which the engine
 *       group-commits without a write lane) needs memory alone: it never counts against {@code maxBodies}
 *       and never queues behind large bodies.
 *   <li>No client holds more than its share of the count, the memory or the places in the queue. A
 *       request past its client's share waits only while that client has waiting places left, and
 *       never holds up another client's request: the queue admits, in arrival order, every waiter whose
 *       client is within its share and that fits.
 *   <li>A request that cannot be admitted or queued is refused at once (503 SlowDown), and so is one
 *       that waited its bound.
 * </ul>
 * A body alone on the node is always admitted, whatever it reserves, so one large body can never be
 * refused forever.
 *
 * <p>Thread-safe. The lock guards counters only; callbacks run outside it, on the thread that released
 * the room they take (callers hop to their own event loop).
 */
final class BodyAdmission {
    private final int maxBodies;
    private final long maxBytes;
    private final int maxWaiting;
    private final int clientBodies;
    private final long clientBytes;
    private final int clientWaiting;
    private final ArrayDeque<Wait> waiting = new ArrayDeque<>();
    private final Map<String, ClientUse> clients = new HashMap<>();
    private int bodies;
    private int smallBodies;
    private long bytes;
    private long refusedForShare;

    /**
     * @param clientSharePercent the share, in percent, of {@code maxBodies}, {@code maxBytes} and
     *                           {@code maxWaiting} that one client may hold (at least one body and one
     *                           waiting place)
     */
    BodyAdmission(int maxBodies, long maxBytes, int maxWaiting, int clientSharePercent) {
        if (clientSharePercent < 1 || clientSharePercent > 100) {
            throw new IllegalArgumentException("client share must be 1..100 %, got " + clientSharePercent);
        }
        this.maxBodies = maxBodies;
        this.maxBytes = maxBytes;
        this.maxWaiting = maxWaiting;
        this.clientBodies = Math.max(1, (int) ((long) maxBodies * clientSharePercent / 100));
        this.clientBytes = Math.max(1, maxBytes / 100 * clientSharePercent);
        this.clientWaiting = Math.max(maxWaiting == 0 ? 0 : 1, (int) ((long) maxWaiting * clientSharePercent / 100));
    }

    /** What a body asks for: who sends it, the memory it may hold, and whether it is small. */
    record Request(String client, long reserve, boolean small) {
    }

    /** What became of a request for admission: a ticket now, a place in the queue, or neither (refused). */
    record Outcome(Ticket ticket, Wait queued) {
        boolean refused() {
            return ticket == null && queued == null;
        }
    }

    /** What one client holds now. */
    private static final class ClientUse {
        int bodies;
        long bytes;
        int waiting;

        boolean idle() {
            return bodies == 0 && bytes == 0 && waiting == 0;
        }
    }

    /** Room taken by one admitted body; {@link #release()} gives it back (idempotent). */
    final class Ticket {
        private final Request request;
        private boolean released;

        private Ticket(Request request) {
            this.request = request;
        }

        void release() {
            List<Runnable> admitted;
            synchronized (BodyAdmission.this) {
                if (released) {
                    return;
                }
                released = true;
                ClientUse use = clients.get(request.client());
                if (request.small()) {
                    smallBodies--;
                } else {
                    bodies--;
                    use.bodies--;
                }
                bytes -= request.reserve();
                use.bytes -= request.reserve();
                forgetIfIdle(request.client(), use);
                admitted = admitWaiting();
            }
            admitted.forEach(Runnable::run);
        }
    }

    /** A place in the queue; {@link #cancel()} leaves it unless the ticket was already granted. */
    final class Wait {
        private final Request request;
        private final Consumer<Ticket> onAdmitted;
        private boolean done;

        private Wait(Request request, Consumer<Ticket> onAdmitted) {
            this.request = request;
            this.onAdmitted = onAdmitted;
        }

        /** True if this left the queue without a ticket; false if the ticket is granted (or on its way). */
        boolean cancel() {
            List<Runnable> admitted;
            synchronized (BodyAdmission.this) {
                if (done) {
                    return false;
                }
                done = true;
                waiting.remove(this);
                ClientUse use = clients.get(request.client());
                use.waiting--;
                forgetIfIdle(request.client(), use);
                admitted = admitWaiting(); // this may have been the large body that later ones may not pass
            }
            admitted.forEach(Runnable::run);
            return true;
        }
    }

    /**
     * Asks room for a body. When the answer is a {@link Wait}, {@code onAdmitted} later receives the
     * ticket, on the thread that freed the room.
     */
    synchronized Outcome request(Request request, Consumer<Ticket> onAdmitted) {
        ClientUse use = clients.computeIfAbsent(request.client(), c -> new ClientUse());
        boolean withinShare = withinShare(request, use);
        if (withinShare && fits(request) && (request.small() || !eligibleWaiter())) {
            return new Outcome(take(request, use), null);
        }
        if (waiting.size() < maxWaiting && use.waiting < clientWaiting) {
            Wait w = new Wait(request, onAdmitted);
            waiting.add(w);
            use.waiting++;
            return new Outcome(null, w);
        }
        if (!withinShare) {
            refusedForShare++;
        }
        forgetIfIdle(request.client(), use);
        return new Outcome(null, null);
    }

    private boolean withinShare(Request r, ClientUse use) {
        if (use.bodies == 0 && use.bytes == 0) {
            return true; // a client's first body is never refused for its share
        }
        return use.bytes + r.reserve() <= clientBytes && (r.small() || use.bodies < clientBodies);
    }

    private boolean fits(Request r) {
        if (bodies == 0 && smallBodies == 0) {
            return true;
        }
        return bytes + r.reserve() <= maxBytes && (r.small() || bodies < maxBodies);
    }

    /** True if a large body waits whose client is within its share: a new large body must not pass it. */
    private boolean eligibleWaiter() {
        for (Wait w : waiting) {
            if (!w.request.small() && withinShare(w.request, clients.get(w.request.client()))) {
                return true;
            }
        }
        return false;
    }

    private Ticket take(Request r, ClientUse use) {
        if (r.small()) {
            smallBodies++;
        } else {
            bodies++;
            use.bodies++;
        }
        bytes += r.reserve();
        use.bytes += r.reserve();
        return new Ticket(r);
    }

    private void forgetIfIdle(String client, ClientUse use) {
        if (use.idle()) {
            clients.remove(client);
        }
    }

    /**
     * Grants tickets to waiters in arrival order: every one within its client's share that fits. Once a
     * large body within its share does not fit, no later large body passes it; small ones still may.
     * Returns the callbacks to run unlocked.
     */
    private List<Runnable> admitWaiting() {
        List<Runnable> out = new ArrayList<>(1);
        boolean largeBlocked = false;
        for (Iterator<Wait> it = waiting.iterator(); it.hasNext(); ) {
            Wait w = it.next();
            ClientUse use = clients.get(w.request.client());
            if (!withinShare(w.request, use) || (largeBlocked && !w.request.small())) {
                continue;
            }
            if (!fits(w.request)) {
                largeBlocked |= !w.request.small();
                continue;
            }
            it.remove();
            w.done = true;
            use.waiting--;
            Ticket t = take(w.request, use);
            Consumer<Ticket> callback = w.onAdmitted;
            out.add(() -> callback.accept(t));
        }
        return out;
    }

    /** Bodies admitted now, small ones included. */
    synchronized int admitted() {
        return bodies + smallBodies;
    }

    /** Bytes reserved by admitted bodies now, small ones included. */
    synchronized long admittedBytes() {
        return bytes;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    /** Requests refused because their client held its share (and its share of the queue). */
    synchronized long refusedForShare() {
        return refusedForShare;
    }

    /** Clients holding or awaiting room now. */
    synchronized int clients() {
        return clients.size();
    }
}
