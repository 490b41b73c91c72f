package io.tessera.server.group;

import io.tessera.cluster.BytesSource;
import io.tessera.cluster.ClusterConfig;
import io.tessera.cluster.ClusterNode;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.GroupMember;
import io.tessera.engine.HeldBlob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bytes beside the log: before an entry that names new blobs is appended, each blob goes from this
 * member's copy to every other member over Ratis DataStream, and the entry goes on only once a majority
 * of the group (this member and enough others) holds the bytes durably. Transfers to the remaining
 * members go on in the background; a member they miss counts the blob missing when the entry applies.
 * The members are the group's as Ratis knows it at each blob, so a membership change ({@code tessera
 * cluster replace}) redirects the next blob to the new member and stops sending to the removed one.
 *
 * <p>Thread-safe. {@link #ship} blocks its caller (an engine thread) for at most the group's bound.
 */
final class BlobShipping {
    private final GroupMember member;
    private final ClusterNode node;
    private final ClusterConfig config;
    private final GroupTraffic traffic;

    BlobShipping(GroupMember member, ClusterNode node, ClusterConfig config, GroupTraffic traffic) {
        this.member = member;
        this.node = node;
        this.config = config;
        this.traffic = traffic;
    }

    /** The group's other members now. */
    private List<String> others() {
        List<String> others = new ArrayList<>(node.memberIds());
        others.remove(config.nodeId());
        return others;
    }

    /** Sends blob {@code blobId} to the other members; returns once a majority holds it, else SLOW_DOWN. */
    void ship(long blobId) {
        List<String> others = others();
        // members besides this one that must hold the blob before its entry is appended: a majority, less this one
        int needed = (others.size() + 1) / 2;
        if (needed == 0) {
            return;
        }
        CountDownLatch enough = new CountDownLatch(needed);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Throwable> lastFailure = new AtomicReference<>();
        CountDownLatch hopeless = new CountDownLatch(1);
        for (String peer : others) {
            send(peer, blobId).whenComplete((ok, e) -> {
                if (e == null) {
                    enough.countDown();
                } else {
                    lastFailure.set(e);
                    if (failed.incrementAndGet() > others.size() - needed) {
                        hopeless.countDown();
                    }
                }
            });
        }
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        try {
            while (enough.getCount() > 0 && hopeless.getCount() > 0 && System.nanoTime() < deadline) {
                enough.await(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                        TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ErrorCode.SLOW_DOWN, "interrupted while sending blob " + blobId);
        }
        if (enough.getCount() > 0) {
            Throwable why = lastFailure.get();
            throw new EngineException(ErrorCode.SLOW_DOWN, "blob " + blobId + " did not reach a majority of the"
                    + " group within " + config.requestTimeout() + (why == null ? "" : ": " + why.getMessage()));
        }
    }

    /** Sends blob {@code blobId}, held here, to member {@code peer} alone (a fetch of the peer's, or a ship). */
    CompletableFuture<Void> send(String peer, long blobId) {
        BlobSource source;
        BlobHeader header;
        try {
            HeldBlob held = member.openBlob(blobId);
            try {
                header = BlobHeader.of(held);
            } catch (RuntimeException e) {
                held.close();
                throw e;
            }
            source = new BlobSource(held);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        BytesSource counted = (dst, position) -> {
            int n = source.read(dst, position);
            if (n > 0) {
                traffic.sent(n);
            }
            return n;
        };
        CompletableFuture<Void> sent;
        try {
            sent = node.sendBytes(peer, header.encode(), header.transferLength(), counted);
        } catch (RuntimeException e) { // no member by that name (any more), or the node closed
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((ok, e) -> source.close());
    }
}
