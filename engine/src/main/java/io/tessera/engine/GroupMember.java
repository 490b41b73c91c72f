package io.tessera.engine;

import io.tessera.engine.command.GroupLog;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An engine as one member of a replicated group ({@link Engine#openMember}): what the group's log
 * drives. The log calls {@link #apply} for every committed entry, in order, from one thread, and
 * {@link #persist} before it forgets entries; the engine hands the log the entries its own requests
 * decide through the function given to {@link #connect}. Entries are opaque bytes to the log.
 *
 * <p>Thread-safe as described: {@code apply} and {@code persist} from the log's one apply thread.
 */
public final class GroupMember {
    private final GroupLog log;
    private volatile Runnable readBarrier = () -> {
        throw new EngineException(ErrorCode.SLOW_DOWN, "this node has not joined its group yet");
    };

    GroupMember(GroupLog log) {
        this.log = log;
    }

    /**
     * Connects the engine to its group: {@code append} appends an entry to the group's log and completes
     * when it is committed, or fails with an {@link EngineException} (SLOW_DOWN when the group has no
     * quorum). A request is answered once this member has applied its entry.
     */
    public void connect(Function<byte[], CompletableFuture<?>> append) {
        log.connect(append);
    }

    /**
     * Sets what a read waits for before it reads this member's state: until it returns, this member has
     * applied every entry the group had committed when it was called. It throws an EngineException
     * (SLOW_DOWN) when it cannot tell within its bound.
     */
    public void readBarrier(Runnable barrier) {
        this.readBarrier = barrier;
    }

    void awaitReadable() {
        readBarrier.run();
    }

    /** The index of the last entry applied; entries up to it are skipped when the log replays them. */
    public long appliedIndex() {
        return log.appliedIndex();
    }

    /**
     * Applies the committed entry at {@code index}. Deterministic: every member that applies the same
     * entries reaches the same state. Throws only when this node fails (I/O, disk full): the entry is
     * then not applied.
     */
    public void apply(long index, byte[] entry) {
        log.applyEntry(index, entry);
    }

    /** Makes every entry applied so far durable on this node; returns the index that reaches. */
    public long persist() {
        return log.persist();
    }
}
