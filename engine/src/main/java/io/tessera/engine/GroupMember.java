package io.tessera.engine;

import io.tessera.engine.blob.BlobBodyWriter;
import io.tessera.engine.blob.BlobStore;
import io.tessera.engine.blob.PendingBlob;
import io.tessera.engine.command.GroupLog;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.meta.MetaStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * An engine as one member of a replicated group ({@link Engine#openMember}): what the group's log
 * drives. The log calls {@link #apply} for every committed entry, in order, from one thread, and
 * {@link #persist} before it forgets entries; the engine hands the log the entries its own requests
 * decide through the function given to {@link #connect}. Entries are opaque bytes to the log.
 *
 * <p>Bodies travel beside the log: the member that takes a request writes the blob and holds it durably
 * as pending before its command is appended; the group's transport reads it back ({@link #openBlob}) and
 * streams it to the other members ({@link #receiveBlob}), which hold it durably as pending too. When the
 * command applies, the blob is adopted; a command refused at apply drops it, and one that never got into
 * the log leaves it to the retention sweep ({@link EngineConfig#pendingBlobRetention()}).
 *
 * <p>Catch-up by snapshot: {@link #checkpoint} writes the replicated state at the applied index, and a
 * member too far behind {@link #install}s one, then fetches the blobs it lacks like any others.
 *
 * <p>Thread-safe as described: {@code apply}, {@code persist}, {@code checkpoint} and {@code install} from
 * the log's one apply thread.
 */
public final class GroupMember {
    /** Where a checkpoint's metadata lies inside the directory given to {@link #checkpoint}. */
    private static final String CHECKPOINT_META = "meta";
    private final GroupLog log;
    private final BlobStore blobs;
    private final EngineConfig config;
    private final MetaStore meta;
    private volatile Runnable readBarrier = () -> {
        throw new EngineException(ErrorCode.SLOW_DOWN, "this node has not joined its group yet");
    };
    /** Whether this member may issue the group's periodic commands now: none until the group says so. */
    private volatile BooleanSupplier issuesBackgroundCommands = () -> false;

    GroupMember(GroupLog log, BlobStore blobs, EngineConfig config, MetaStore meta) {
        this.log = log;
        this.blobs = blobs;
        this.config = config;
        this.meta = meta;
    }

    /**
     * Starts receiving a blob another member wrote, under that member's id, for a command about to be
     * appended to the group's log. Stream its {@code length} bytes in and commit: the bytes are then
     * fsynced and the blob held here as pending (its row durable, its records safe from collection) until
     * the command applies, also across a restart. {@link BodyExpectations#contentMd5()} may carry the
     * blob's MD5 to check it end to end. Receiving a blob held here already (a retry) keeps the first copy
     * and drops the second as garbage; its commit succeeds all the same. Failures are those of a body
     * write (SLOW_DOWN, STORAGE_FULL, INCOMPLETE_BODY...), and INVALID_REQUEST when the id is held here
     * with other bytes.
     *
     * @param part       whether the blob is a part's body (else an object's)
     * @param uploadId   the part's upload id (16 bytes); null for an object's body
     * @param partNumber the part's number; 0 for an object's body
     * @param length     the blob's length in bytes
     */
    public BodyWriter<Void> receiveBlob(long blobId, boolean part, byte[] uploadId, int partNumber, long length) {
        return receiveBlob(blobId, part, uploadId, partNumber, length, null);
    }

    /**
     * As {@link #receiveBlob(long, boolean, byte[], int, long)}, with the sender's {@link HeldBlob#pieceDigests}:
     * where this member cuts the blob into the same records it writes their trailers as given rather than
     * hashing the bytes again, so the caller must check the bytes arrived intact (the group's transport
     * does, with a CRC32C over the whole blob).
     */
    public BodyWriter<Void> receiveBlob(long blobId, boolean part, byte[] uploadId, int partNumber, long length,
                                        PieceDigests digests) {
        if (length < 0 || (part ? uploadId == null || uploadId.length != 16 || partNumber < 1
                : uploadId != null || partNumber != 0)) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, "blob " + blobId + ": a part needs its upload id"
                    + " and number, an object's body neither; and a length of at least 0");
        }
        PendingBlob write = !part && config.isSmallBody(length)
                ? blobs.newBufferedWrite(blobId, RecordKind.OBJECT, null, 0, length, null)
                : blobs.newReplicaWrite(blobId, part ? RecordKind.PART : RecordKind.OBJECT, uploadId, partNumber,
                        length, digests);
        return new BlobBodyWriter<>(write, length, (w, pieces) -> {
            blobs.index().hold(blobId, pieces, w.md5());
            return null;
        });
    }

    /**
     * The bytes of a blob this member holds (pending or adopted), with its segments pinned until closed:
     * what the group's transport streams to the other members. NO_SUCH_KEY when it holds no such blob.
     */
    public HeldBlob openBlob(long blobId) {
        HeldBlob held = blobs.index().open(blobId);
        if (held == null) {
            throw new EngineException(ErrorCode.NO_SUCH_KEY, "blob " + blobId + " is not held on this node");
        }
        return held;
    }

    /** Whether this member holds the bytes of blob {@code blobId} (pending or adopted). */
    public boolean holdsBlob(long blobId) {
        return blobs.index().holds(blobId);
    }

    /** The name of the command in a log entry (its kind, such as {@code DeleteObject}), for counting them. */
    public static String commandName(byte[] entry) {
        return GroupLog.commandName(entry);
    }

    /** The blobs the command in a log entry brings (their bytes must reach the members before it applies). */
    public static List<Long> blobsNamedBy(byte[] entry) {
        return GroupLog.blobsNamedBy(entry);
    }

    /** Blobs held here that no applied command has adopted yet. */
    public long pendingBlobs() {
        return blobs.index().pendingBlobs();
    }

    /**
     * Up to {@code max} blobs this member knows it lacks (named by an entry it applied, or by a read
     * since it opened), to fetch from the others; a blob received from then on is live at once.
     */
    public List<Long> missingBlobIds(int max) {
        return blobs.index().missingBlobIds(max);
    }

    /** Blobs named by commands applied here whose bytes this member did not hold (since it opened). */
    public long missingBlobs() {
        return blobs.index().missingBlobs();
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
     * As {@link #connect(Function)}; a request then waits at most {@code answerWait} for its answer once
     * {@code append} took its entry (SLOW_DOWN after): the group's bound on committing it and on this
     * member applying it.
     */
    public void connect(Function<byte[], CompletableFuture<?>> append, Duration answerWait) {
        log.connect(append, answerWait);
    }

    /**
     * Sets what a read waits for before it reads this member's state: until it returns, this member has
     * applied every entry the group had committed when it was called. It throws an EngineException
     * (SLOW_DOWN) when it cannot tell within its bound.
     */
    public void readBarrier(Runnable barrier) {
        this.readBarrier = barrier;
    }

    /**
     * Sets whether this member may issue the periodic commands of the group's background work (reclaims
     * of aborted uploads, tombstone purges, lifecycle actions) now: one member, the leader, issues them for
     * the whole group, so that the log gets each once. Asked before each round; until set, never.
     */
    public void issueBackgroundCommandsWhen(BooleanSupplier allowed) {
        this.issuesBackgroundCommands = allowed;
    }

    boolean mayIssueBackgroundCommands() {
        return issuesBackgroundCommands.getAsBoolean();
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

    /**
     * Writes a checkpoint of this member's state into the empty directory {@code dir} and returns the index
     * of the last entry it holds. Called by the log's apply thread, so it holds exactly the entries applied
     * before it. It holds the metadata alone (a RocksDB checkpoint under {@code dir/meta}, hard links of its
     * files): the replicated state names blobs by id, and a member that installs it fetches the bytes it
     * lacks from the group ({@link #missingBlobIds}).
     */
    public long checkpoint(Path dir) {
        long index = log.appliedIndex();
        meta.checkpoint(dir.resolve(CHECKPOINT_META));
        return index;
    }

    /**
     * Replaces this member's replicated state with a checkpoint written by {@link #checkpoint} (on any
     * member), from the log's apply thread: every replicated row becomes the checkpoint's, then the applied
     * index and version stamp are read back, blobs no longer referenced (and not pending) are dropped as
     * garbage, pending ones it references are adopted, and the referenced blobs this member lacks are
     * recorded missing, to be fetched from the others. Afterwards {@link #appliedIndex} is the checkpoint's.
     * Crash-safe: a member stopped midway finishes the install when it opens again.
     */
    public void install(Path dir) {
        install(dir, () -> { });
    }

    /** {@link #install(Path)}, running {@code afterBatch} after each batch of rows: tests crash there. */
    void install(Path dir, Runnable afterBatch) {
        CheckpointInstall.install(meta, blobs.index(), config.dataDir(), dir.resolve(CHECKPOINT_META), log::installed,
                afterBatch);
    }

    /** Makes every entry applied so far durable on this node; returns the index that reaches. */
    public long persist() {
        return log.persist();
    }
}
