package io.tessera.server.group;

import io.tessera.cluster.ClusterConfig;
import io.tessera.cluster.ClusterNode;
import io.tessera.engine.GroupMember;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the blobs this member lacks from the others: blobs named by entries it applied while their
 * bytes never reached it (it was down, or cut off, when they were sent), and blobs a read found
 * missing. Every {@link #EVERY_MS} it asks a member for each such blob; the one that holds it sends the
 * bytes, which this member keeps as live. A blob asked for is asked again after {@link #RETRY_MS} if it
 * is still missing, from the next member in turn. The members asked are the group's as Ratis knows it at
 * each round: after a membership change the new member is asked too, the removed one no more.
 *
 * <p>Thread-safe; runs on a thread of its own.
 */
final class BlobRepair implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlobRepair.class);
    static final long EVERY_MS = 250;
    static final long RETRY_MS = 5_000;
    private static final int BATCH = 256;
    /**
     * Fetches asked for and not yet arrived (nor given up on after {@link #RETRY_MS}): a member that installed
     * a snapshot may lack thousands of blobs, and asking for all at once made the others start every
     * transfer together, each too slow to finish within its bound.
     */
    static final int IN_FLIGHT = 8;

    private final GroupMember member;
    private final ClusterNode node;
    private final String self;
    /** Blob id → when it was last asked for (nanoTime), and how many times. */
    private final ConcurrentHashMap<Long, long[]> asked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tessera-blob-repair");
        t.setDaemon(true);
        return t;
    });

    BlobRepair(GroupMember member, ClusterNode node, ClusterConfig config) {
        this.member = member;
        this.node = node;
        this.self = config.nodeId();
    }

    void start() {
        timer.scheduleWithFixedDelay(this::round, EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            List<Long> missing = member.missingBlobIds(BATCH);
            asked.keySet().retainAll(missing);
            long now = System.nanoTime();
            List<String> others = new ArrayList<>(node.memberIds());
            others.remove(self);
            long retry = TimeUnit.MILLISECONDS.toNanos(RETRY_MS);
            int inFlight = (int) asked.values().stream().filter(last -> now - last[0] < retry).count();
            for (long blobId : missing) {
                long[] last = asked.get(blobId);
                if (inFlight >= IN_FLIGHT) {
                    break;
                }
                if (last != null && now - last[0] < retry) {
                    continue;
                }
                inFlight++;
                long attempt = last == null ? 0 : last[1] + 1;
                asked.put(blobId, new long[] {now, attempt});
                ask(others, blobId, (int) attempt, 0);
            }
        } catch (RuntimeException e) {
            LOG.warn("a round of blob repair failed; the next one retries", e);
        }
    }

    /** Asks the members in turn, from the attempt's own, until one says it is sending. */
    private void ask(List<String> others, long blobId, int attempt, int tried) {
        if (tried >= others.size()) {
            LOG.debug("no member holds blob {} now; asking again later", blobId);
            return;
        }
        String peer = others.get((attempt + tried) % others.size());
        node.ask(peer, new BlobFetch(blobId, self).encode()).whenComplete((answer, e) -> {
            if (e != null || answer.length == 0 || answer[0] != 1) {
                LOG.info("{} cannot send blob {} now ({}); asking the next member", peer, blobId,
                        e != null ? e.toString() : "it does not hold it");
                ask(others, blobId, attempt, tried + 1);
            } else {
                LOG.info("{} sends blob {}", peer, blobId);
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
