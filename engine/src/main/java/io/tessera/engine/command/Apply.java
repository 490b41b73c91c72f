package io.tessera.engine.command;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.blob.BlobIndex;
import io.tessera.engine.bucket.AccessKeyCommands;
import io.tessera.engine.bucket.Buckets;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.object.ObjectCommands;
import io.tessera.engine.object.VersionStamps;
import io.tessera.engine.upload.UploadCommands;
import io.tessera.engine.upload.UploadCompleter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place replicated state changes: applies a command at its log index, in one atomic batch
 * that also records the index and the last version stamp. Deterministic: it reads only the state and
 * the command (no clock, no randomness, no id allocation), so every replica that applies the same log
 * reaches the same state and the same answers. A command the state refuses (NoSuchUpload for a late
 * part, a failed precondition) is an answer, not an error: its batch holds only the new index, and
 * blobs it brought are abandoned as garbage. A failure of the node itself (I/O, disk full) leaves the
 * state and the index as they were, so the command can be applied again.
 *
 * <p>Not thread-safe: one thread applies, in log order.
 */
public final class Apply {
    private static final Logger LOG = LoggerFactory.getLogger(Apply.class);
    /** Codes that say the node failed, not the command: nothing is applied and the index stays. */
    private static final Set<ErrorCode> NODE_FAILURES = EnumSet.of(ErrorCode.IO_ERROR, ErrorCode.STORAGE_FULL,
            ErrorCode.CORRUPTION, ErrorCode.SLOW_DOWN, ErrorCode.CLOSED);

    private final MetaStore meta;
    private final BlobIndex index;
    private final Buckets buckets;
    private final ObjectCommands objects;
    private final UploadCommands uploads;
    private final UploadCompleter completer;
    private final VersionStamps stamps;
    private final AccessKeyCommands accessKeys;
    /** Told, on the applying thread, after a command that changed access keys or grants is committed. */
    private final List<Runnable> accessKeyListeners = new CopyOnWriteArrayList<>();
    private volatile long appliedIndex;

    public Apply(MetaStore meta, BlobIndex index, Buckets buckets, ObjectCommands objects, UploadCommands uploads,
                 UploadCompleter completer, VersionStamps stamps) {
        this.meta = meta;
        this.index = index;
        this.buckets = buckets;
        this.objects = objects;
        this.uploads = uploads;
        this.completer = completer;
        this.stamps = stamps;
        this.accessKeys = new AccessKeyCommands(meta.tables());
        this.appliedIndex = meta.tables().log().appliedIndex();
    }

    /** The index of the last command applied. */
    public long appliedIndex() {
        return appliedIndex;
    }

    /**
     * Reads the applied index and the last version stamp back from the store, after its replicated rows
     * were replaced (a checkpoint installed). Only the thread that applies commands calls it.
     */
    public void reloadPosition() {
        stamps.rewind(meta.tables().log().lastStamp());
        appliedIndex = meta.tables().log().appliedIndex();
        accessKeysChanged();
    }

    /** What applying a command answered: its result, or the failure that is its answer. */
    public record Outcome(Object value, EngineException failure) {
        /** The result, or the failure thrown. */
        @SuppressWarnings("unchecked")
        public <R> R get() {
            if (failure != null) {
                throw failure;
            }
            return (R) value;
        }
    }

    /**
     * Applies {@code command} as the entry at {@code logIndex}, writing its batch without a sync (the
     * log makes it durable). An index at or below the applied one was applied before: skipped.
     *
     * @throws EngineException when the node fails (the state is unchanged)
     */
    public Outcome apply(long logIndex, Command<?> command) {
        if (logIndex <= appliedIndex) {
            return new Outcome(null, null);
        }
        long stampBefore = stamps.last();
        Outcome outcome;
        EngineException refusal = null;
        try (MetaBatch batch = index.newBatch()) {
            Object value = null;
            try {
                value = dispatch(batch, command);
            } catch (EngineException e) {
                stamps.rewind(stampBefore);
                if (NODE_FAILURES.contains(e.code())) {
                    throw e;
                }
                refusal = e; // what dispatch staged in this batch is discarded with it
            } catch (RuntimeException e) {
                stamps.rewind(stampBefore);
                throw e;
            }
            if (refusal != null) {
                outcome = null;
            } else {
                meta.tables().log().put(batch, logIndex, stamps.last());
                try {
                    meta.commitUnsynced(batch);
                } catch (RuntimeException e) {
                    stamps.rewind(stampBefore);
                    throw e;
                }
                outcome = new Outcome(value, null);
            }
        }
        if (refusal != null) {
            return refused(logIndex, command, refusal);
        }
        appliedIndex = logIndex;
        if (changesAccessKeys(command)) {
            accessKeysChanged();
        }
        return outcome;
    }

    /** Tells {@code listener}, on the applying thread, of every later change of access keys or grants. */
    public void onAccessKeysChanged(Runnable listener) {
        accessKeyListeners.add(listener);
    }

    /**
     * Tells the listeners that keys or grants changed: after such a command, and after a checkpoint's rows
     * replaced the state. Runs before the command's answer is given, so a client that hears it succeed
     * finds the change in force on the member that answered. A listener's failure is logged, never the
     * command's.
     */
    public void accessKeysChanged() {
        for (Runnable l : accessKeyListeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.error("an access key listener failed", e);
            }
        }
    }

    private static boolean changesAccessKeys(Command<?> command) {
        return command instanceof Command.PutAccessKeys || command instanceof Command.DeleteAccessKey
                || command instanceof Command.ChangeGrants || command instanceof Command.CreateBucket
                || command instanceof Command.DeleteBucket;
    }

    /**
     * A refused command: its answer is the failure, and its batch moves the index and drops the blobs it
     * brought (a pending blob's live bytes go in this same step).
     */
    private Outcome refused(long logIndex, Command<?> command, EngineException answer) {
        try (MetaBatch batch = index.newBatch()) {
            index.abandon(batch, command.newBlobs());
            meta.tables().log().put(batch, logIndex, stamps.last());
            meta.commitUnsynced(batch);
        }
        appliedIndex = logIndex;
        return new Outcome(null, answer);
    }

    private Object dispatch(MetaBatch batch, Command<?> command) {
        if (command instanceof Command.PutObject c) {
            return objects.apply(batch, c);
        } else if (command instanceof Command.CommitPart c) {
            return uploads.apply(batch, c);
        } else if (command instanceof Command.DeleteObject c) {
            return objects.apply(batch, c);
        } else if (command instanceof Command.DeleteVersion c) {
            return objects.apply(batch, c);
        } else if (command instanceof Command.SetMetadataEntry c) {
            return objects.apply(batch, c);
        } else if (command instanceof Command.CreateUpload c) {
            return uploads.apply(batch, c);
        } else if (command instanceof Command.CompleteUpload c) {
            return completer.apply(batch, c);
        } else if (command instanceof Command.AbortUpload c) {
            return uploads.apply(batch, c);
        } else if (command instanceof Command.ReclaimUpload c) {
            return uploads.apply(batch, c);
        } else if (command instanceof Command.PurgeTombstones c) {
            return uploads.apply(batch, c);
        } else if (command instanceof Command.CreateBucket c) {
            return buckets.apply(batch, c);
        } else if (command instanceof Command.DeleteBucket c) {
            return buckets.apply(batch, c);
        } else if (command instanceof Command.SetBucketConfig c) {
            return buckets.apply(batch, c);
        } else if (command instanceof Command.SetVersioning c) {
            return buckets.apply(batch, c);
        } else if (command instanceof Command.PutAccessKeys c) {
            return accessKeys.apply(batch, c);
        } else if (command instanceof Command.DeleteAccessKey c) {
            return accessKeys.apply(batch, c);
        } else if (command instanceof Command.ChangeGrants c) {
            return accessKeys.apply(batch, c);
        }
        throw new IllegalArgumentException("no apply for " + command);
    }
}
