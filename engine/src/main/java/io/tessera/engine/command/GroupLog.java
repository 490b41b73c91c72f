package io.tessera.engine.command;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.meta.MetaStore;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The command log of a member of a replicated group. A request's command goes to the group's log (the
 * leader orders it, a majority makes it durable), and every member applies the log's entries in order
 * through the same {@link Apply}. The member that submitted an entry answers from its own apply of it:
 * the same answer as every other member's, and the request's node has then applied it, so a client
 * reads its own write there at once.
 *
 * <p>An entry is the command's bytes behind a header naming the submitting member (a tag drawn at
 * random when it starts, so a restarted member never mistakes an old entry for one of its own
 * requests) and the request.
 *
 * <p>Thread-safe; {@link #applyEntry} and {@link #persist} are called by the group's one apply thread.
 */
public final class GroupLog implements CommandLog {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int HEADER = 16;

    private final Apply apply;
    private final MetaStore meta;
    private volatile Duration answerWait;
    private final long memberTag = RANDOM.nextLong();
    private final AtomicLong requests = new AtomicLong();
    private final ConcurrentHashMap<Long, CompletableFuture<Apply.Outcome>> waiting = new ConcurrentHashMap<>();
    private volatile Function<byte[], CompletableFuture<?>> group;
    private volatile boolean closed;

    public GroupLog(Apply apply, MetaStore meta, Duration answerWait) {
        this.apply = apply;
        this.meta = meta;
        this.answerWait = answerWait;
    }

    /**
     * Connects this member to its group: {@code log} appends an entry to the group's log and completes
     * once it is committed, or fails (with an EngineException: SLOW_DOWN when the group has no quorum).
     */
    public void connect(Function<byte[], CompletableFuture<?>> log) {
        this.group = log;
    }

    /**
     * As {@link #connect(Function)}, with the longest a request waits for its answer once {@code log} took
     * its entry: the group's own bound on committing it, and on this member applying it after.
     */
    public void connect(Function<byte[], CompletableFuture<?>> log, Duration answerWait) {
        this.answerWait = answerWait;
        this.group = log;
    }

    @Override
    public <R> R submit(Command<R> command) {
        Function<byte[], CompletableFuture<?>> log = group;
        if (closed) {
            throw new EngineException(ErrorCode.CLOSED, "the engine is closed");
        }
        if (log == null) {
            throw new EngineException(ErrorCode.SLOW_DOWN, "this node has not joined its group yet");
        }
        long request = requests.incrementAndGet();
        byte[] body = CommandCodec.encode(command);
        byte[] entry = ByteBuffer.allocate(HEADER + body.length).putLong(memberTag).putLong(request).put(body).array();
        CompletableFuture<Apply.Outcome> answer = new CompletableFuture<>();
        Duration wait = answerWait;
        waiting.put(request, answer);
        try {
            log.apply(entry).whenComplete((committed, failure) -> {
                if (failure != null) {
                    answer.completeExceptionally(failure instanceof java.util.concurrent.CompletionException c
                            && c.getCause() != null ? c.getCause() : failure);
                }
            });
            return answer.get(wait.toMillis(), TimeUnit.MILLISECONDS).get();
        } catch (TimeoutException e) {
            throw new EngineException(ErrorCode.SLOW_DOWN, "the group did not apply the command within " + wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ErrorCode.SLOW_DOWN, "interrupted while waiting for the group");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new EngineException(ErrorCode.SLOW_DOWN, "the group refused the command: " + e.getCause());
        } finally {
            waiting.remove(request);
        }
    }

    /** The name of the command in {@code entry} (as this log appends it), such as {@code DeleteObject}. */
    public static String commandName(byte[] entry) {
        return CommandCodec.name(entry, HEADER);
    }

    /** The blobs the command in {@code entry} (as this log appends it) brings. */
    public static java.util.List<Long> blobsNamedBy(byte[] entry) {
        return CommandCodec.decode(Arrays.copyOfRange(entry, HEADER, entry.length)).newBlobs();
    }

    /** The index of the last entry applied. */
    public long appliedIndex() {
        return apply.appliedIndex();
    }

    /**
     * Applies the committed entry at {@code index}; a request of this member waiting for it gets its
     * answer. Throws only when the node fails (then the entry is not applied).
     */
    public void applyEntry(long index, byte[] entry) {
        ByteBuffer header = ByteBuffer.wrap(entry, 0, HEADER);
        long tag = header.getLong();
        long request = header.getLong();
        Command<?> command = CommandCodec.decode(Arrays.copyOfRange(entry, HEADER, entry.length));
        Apply.Outcome outcome = apply.apply(index, command);
        if (tag == memberTag) {
            CompletableFuture<Apply.Outcome> answer = waiting.get(request);
            if (answer != null) {
                answer.complete(outcome);
            }
        }
    }

    /**
     * Takes up the position of a checkpoint whose rows were just installed. A request of this member still
     * waiting for an entry the checkpoint covers gets no answer from here; it ends at its bound (SLOW_DOWN).
     */
    public void installed() {
        apply.reloadPosition();
    }

    /** Makes every entry applied so far durable here; returns the index it reaches. */
    public long persist() {
        long index = apply.appliedIndex();
        meta.syncWal();
        return index;
    }

    @Override
    public void close() {
        closed = true;
        EngineException gone = new EngineException(ErrorCode.CLOSED, "the engine is closed");
        waiting.values().forEach(w -> w.completeExceptionally(gone));
    }
}
