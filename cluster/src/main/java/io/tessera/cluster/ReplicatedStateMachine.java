package io.tessera.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.ClientInvocationId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine around a {@link ReplicatedState}, built as Ozone's
 * {@code OzoneManagerStateMachine}:
 * <ul>
 * <li>committed entries are applied in log order on one {@link StateThread}; an entry at or below the
 *     state's applied index (already in an installed snapshot) is skipped;</li>
 * <li>the state's durable applied index, with its term from {@link TermHistory}, is the "snapshot"
 *     Ratis sees ({@link #getLatestSnapshot}): after a restart Ratis applies only what follows it;</li>
 * <li>{@link #takeSnapshot} is {@code persist()} plus a {@link SnapshotMarker}: no data is copied,
 *     and Ratis may purge its log up to the index returned;</li>
 * <li>a follower the leader's log no longer reaches is told to install a snapshot (Ratis's notification
 *     mode): it fetches a fresh checkpoint from the leader ({@link CheckpointFetcher} against the leader's
 *     {@link CheckpointSource}), installs it on the state thread, and Ratis resumes from its index.</li>
 * </ul>
 * Checkpoints are made on demand, so {@code takeSnapshot} stays cheap however large the state; Ratis's
 * own chunked snapshot transfer would need a full checkpoint at every snapshot instead.
 *
 * <p>It also takes the DataStream transfers another node sends here ({@link ClusterNode#sendBytes}):
 * each one opens a sink of the state (a {@link BytesReceiver}) and is a {@link ReceivedStream}. No log
 * entry names a transfer, so {@link #link} has nothing to do.
 *
 * <p>A state that throws from {@code apply} has failed (an I/O error, by contract): nothing after that
 * entry is applied, and {@code onStateFailure} is told so that the node stops serving (Ozone
 * terminates its Ozone Manager for the same reason: applying later entries would diverge).
 *
 * <p>Thread-safety: Ratis calls it from its own threads; every call into the state goes through the
 * state thread, and the fields shared with other threads are volatile, atomic or guarded by {@code this}.
 */
final class ReplicatedStateMachine extends BaseStateMachine implements StateMachine.DataApi {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedStateMachine.class);

    private final StateThread stateThread;
    private final GroupClients clients;
    private final Duration stateBound;
    private final Consumer<Throwable> onStateFailure;
    private final ExecutorService installer;
    /** The state's receiving side, or null if it takes no transfers. */
    private final BytesReceiver receiver;
    /** Opens and aborts sinks: Ratis asks for both on its Netty event loops, where nothing may block. */
    private final ExecutorService receiving;
    private final AtomicLong snapshotsTaken = new AtomicLong();
    private final AtomicLong snapshotInstalls = new AtomicLong();

    private Path smDir;
    private TermHistory terms;
    private SnapshotMarker marker;
    private CheckpointSource checkpoints;
    /** The state's durable applied index and its term, or null while the state is empty. */
    private volatile TermIndex durable;
    /** Highest index the state has applied (or installed). State thread only. */
    private long appliedToState;
    private volatile boolean failed;

    /**
     * @param stateBound how long a persist, checkpoint or install may take before the caller gives up
     *                   on it (it is then reported as failed, not waited for)
     */
    ReplicatedStateMachine(ReplicatedState state, String name, GroupClients clients, Duration stateBound,
            Consumer<Throwable> onStateFailure) {
        this.stateThread = new StateThread(state, "state-" + name);
        this.clients = clients;
        this.stateBound = stateBound;
        this.onStateFailure = onStateFailure;
        this.installer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "snapshot-install-" + name);
            t.setDaemon(true);
            return t;
        });
        this.receiver = state instanceof BytesReceiver r ? r : null;
        this.receiving = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "bytes-receive-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, storage);
            smDir = storage.getStorageDir().getStateMachineDir().toPath();
            Files.createDirectories(smDir);
            terms = TermHistory.open(smDir.resolve("term-history"));
            marker = SnapshotMarker.open(smDir.resolve("snapshot-marker"));
            checkpoints = new CheckpointSource(smDir.resolve("checkpoints"), stateThread, terms);
            Durable.deleteTree(incomingDir());
            loadAppliedIndex();
            LOG.info("{}: state applied up to {}, last snapshot {}", getId(), durable, marker.last());
        }, IOException.class);
    }

    /** Reads the state's applied index; Ratis starts applying after it. */
    private void loadAppliedIndex() throws IOException {
        long applied = stateThread.call(state -> {
            appliedToState = state.appliedIndex();
            return appliedToState;
        }, stateBound, "reading the applied index");
        if (applied <= 0) {
            durable = null;
            return;
        }
        long term = terms.termOf(applied);
        if (term == 0) {
            LOG.warn("{}: no term recorded for applied index {}; Ratis may have to send a snapshot", getId(), applied);
        }
        durable = TermIndex.valueOf(term, applied);
        synchronized (this) {
            setLastAppliedTermIndex(durable);
        }
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        TermIndex d = durable;
        return d == null ? null : new DurableIndex(d);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(entry);
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        return stateThread.submit(state -> {
            if (failed) {
                throw new IllegalStateException("the state failed before entry " + termIndex);
            }
            if (termIndex.getIndex() <= appliedToState) {
                // In a snapshot installed after this entry was queued: applied already, nobody waits here.
                return Message.EMPTY;
            }
            try {
                terms.beforeApply(termIndex.getTerm(), termIndex.getIndex());
                byte[] answer = state.apply(termIndex.getIndex(), data);
                appliedToState = termIndex.getIndex();
                advanceApplied(termIndex);
                return Message.valueOf(UnsafeByteOperations.unsafeWrap(answer));
            } catch (RuntimeException e) {
                failed = true;
                LOG.error("{}: the state failed applying {}; this node stops", getId(), termIndex, e);
                onStateFailure.accept(e);
                throw e;
            }
        });
    }

    /** Configuration and leader no-op entries: the state never sees them, but they count as applied, in order. */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        stateThread.submit(state -> {
            advanceApplied(TermIndex.valueOf(term, index));
            return null;
        });
    }

    /** Raises the applied term-index; after a snapshot install a queued lower one is stale and ignored. */
    private synchronized void advanceApplied(TermIndex termIndex) {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || termIndex.getIndex() > last.getIndex()) {
            updateLastAppliedTermIndex(termIndex);
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            StateQuery query = StateQuery.fromMessage(request);
            switch (query.kind()) {
                case BARRIER:
                    // Behind every apply already handed to the state thread.
                    return stateThread.submit(state -> Message.EMPTY);
                case CHECKPOINT_OPEN:
                    return checkpoints.open().thenApply(m -> Message.valueOf(UnsafeByteOperations.unsafeWrap(m.encode())));
                case CHECKPOINT_READ:
                    return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(
                            checkpoints.read(query.id(), query.fileNo(), query.offset(), query.length()))));
                case CHECKPOINT_CLOSE:
                    checkpoints.close(query.id());
                    return CompletableFuture.completedFuture(Message.EMPTY);
                default:
                    throw new IOException("unknown query " + query.kind());
            }
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A transfer's header arrived (on a Netty event loop): the sink is opened on another thread. */
    @Override
    public CompletableFuture<DataStream> stream(RaftClientRequest request) {
        ClientInvocationId id = ClientInvocationId.valueOf(request);
        byte[] header = request.getMessage().getContent().toByteArray();
        try {
            return CompletableFuture.supplyAsync(() -> openSink(id, header), receiving);
        } catch (RejectedExecutionException closing) {
            return CompletableFuture.failedFuture(new IOException("node " + getId() + " is closing"));
        }
    }

    private DataStream openSink(ClientInvocationId id, byte[] header) {
        try {
            if (receiver == null) {
                throw new IOException("the state of node " + getId() + " takes no transfers");
            }
            TransferHeader transfer = TransferHeader.decode(ByteBuffer.wrap(header));
            BytesSink sink = receiver.receive(transfer.header(), transfer.length());
            return new ReceivedStream(sink, transfer.length(), () -> forget(id), receiving);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    /** Ratis keeps every stream in its map until a log entry links it; a transfer is never linked. */
    private void forget(ClientInvocationId id) {
        RaftServer server = getServer().getNow(null);
        if (server == null) {
            return;
        }
        try {
            server.getDivision(getGroupId()).getDataStreamMap().remove(id);
        } catch (IOException e) {
            LOG.debug("{}: no division to forget transfer {} in", getId(), id, e);
        }
    }

    /**
     * Transfers make no log entries, so no entry should name a stream; should one come, it must not
     * fail: a failed link stops this node's log until a restart.
     */
    @Override
    public CompletableFuture<?> link(DataStream stream, LogEntryProto entry) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public long takeSnapshot() throws IOException {
        if (failed) {
            throw new IOException("the state failed; no snapshot");
        }
        long index = stateThread.call(ReplicatedState::persist, stateBound, "persist");
        if (index <= 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        TermIndex snapshot = TermIndex.valueOf(terms.termOf(index), index);
        marker.write(snapshot);
        durable = snapshot;
        snapshotsTaken.incrementAndGet();
        return index;
    }

    @Override
    public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(RoleInfoProto roleInfo,
            TermIndex firstTermIndexInLog) {
        RaftPeerId leader = RaftPeerId.valueOf(roleInfo.getFollowerInfo().getLeaderInfo().getId().getId());
        LOG.info("{}: the leader {} no longer has the log after {}; installing a snapshot from it", getId(), leader,
                firstTermIndexInLog);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return installFrom(leader, firstTermIndexInLog);
            } catch (IOException e) {
                LOG.warn("{}: snapshot install from {} failed; the leader will ask again", getId(), leader, e);
                throw new CompletionException(e);
            }
        }, installer);
    }

    private TermIndex installFrom(RaftPeerId leader, TermIndex firstInLeaderLog) throws IOException {
        Path incoming = incomingDir();
        Durable.deleteTree(incoming);
        Files.createDirectories(incoming);
        try (RaftClient client = clients.newFetchClient()) {
            CheckpointManifest manifest = new CheckpointFetcher(client, leader).fetch(incoming);
            if (manifest.index() + 1 < firstInLeaderLog.getIndex()) {
                throw new IOException("the checkpoint ends at " + manifest.index() + " but the leader's log starts at "
                        + firstInLeaderLog);
            }
            TermIndex installed = TermIndex.valueOf(manifest.term(), manifest.index());
            stateThread.call(state -> {
                try {
                    // The term first: a crash after the install must find the new index's term.
                    terms.resetFrom(manifest.term(), manifest.index());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                state.install(incoming);
                long now = state.appliedIndex();
                if (now != manifest.index()) {
                    throw new IllegalStateException("installed a checkpoint of index " + manifest.index()
                            + " but the state reports " + now);
                }
                appliedToState = now;
                return null;
            }, stateBound, "installing the checkpoint");
            marker.write(installed);
            durable = installed;
            snapshotInstalls.incrementAndGet();
            LOG.info("{}: installed the snapshot at {} from {}", getId(), installed, leader);
            return installed;
        } finally {
            Durable.deleteTree(incoming);
        }
    }

    private Path incomingDir() {
        return smDir.resolve("incoming");
    }

    /** Ratis pauses the machine before it reloads it from an installed snapshot. */
    @Override
    public synchronized void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public synchronized void reinitialize() throws IOException {
        loadAppliedIndex();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().startAndTransition(() -> { });
        }
        LOG.info("{}: reinitialized at {}", getId(), durable);
    }

    @Override
    public void close() {
        installer.shutdownNow();
        receiving.shutdownNow();
        if (checkpoints != null) {
            checkpoints.close();
        }
        stateThread.close();
    }

    long lastSnapshotIndex() {
        TermIndex last = marker == null ? null : marker.last();
        return last == null ? 0 : last.getIndex();
    }

    long snapshotsTaken() {
        return snapshotsTaken.get();
    }

    long snapshotInstalls() {
        return snapshotInstalls.get();
    }

    boolean failed() {
        return failed;
    }

    /** A snapshot that is only an index: the data is the state itself, durable up to it. */
    private record DurableIndex(TermIndex termIndex) implements SnapshotInfo {
        @Override
        public TermIndex getTermIndex() {
            return termIndex;
        }

        @Override
        public List<FileInfo> getFiles() {
            return List.of();
        }
    }
}
