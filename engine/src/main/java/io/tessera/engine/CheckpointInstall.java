package io.tessera.engine;

import io.tessera.engine.blob.BlobIndex;
import io.tessera.engine.meta.InstallMarker;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.ReplicatedRows;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs a checkpoint of the group's replicated state on a member, crash-safely. The checkpoint's
 * files are first staged under {@code <data>/install/<name>} (hard links, or copies across file
 * systems, synced), then the {@link InstallMarker} names that copy, durably, and only then are the
 * replicated rows replaced ({@link ReplicatedRows}) and the blob rows reconciled with them
 * ({@link BlobIndex#reconcile}); the marker goes last. A member that opens with the marker set redoes
 * the replacement from the staged copy before anything reads its rows, and the reconciliation once its
 * blob index is up ({@link #redoRows}, {@link #finish}). A staged copy is deleted only once no marker names it.
 *
 * <p>Not thread-safe: the thread that applies commands runs an install; {@link #redoRows} and
 * {@link #finish} run while the engine opens.
 */
final class CheckpointInstall {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointInstall.class);
    private static final String STAGING = "install";

    private CheckpointInstall() {
    }

    /**
     * Installs the checkpoint in {@code checkpoint} (a directory {@link MetaStore#checkpoint} wrote):
     * when this returns, the member's replicated rows are the checkpoint's, {@code reload} has re-read what
     * apply keeps in memory, and its blobs are reconciled. {@code afterBatch} runs after each batch of rows
     * (a test's crash point).
     */
    static BlobIndex.Reconciled install(MetaStore meta, BlobIndex blobs, Path dataDir, Path checkpoint,
                                        Runnable reload, Runnable afterBatch) {
        String name = "checkpoint-" + System.currentTimeMillis() + "-" + System.nanoTime();
        Path staged = stagingRoot(dataDir).resolve(name);
        stage(checkpoint, staged);
        InstallMarker.set(meta, name);
        deleteStagedExcept(dataDir, name); // an earlier install's copy: no marker names it any more
        long rows = ReplicatedRows.replace(meta, staged, afterBatch);
        reload.run();
        BlobIndex.Reconciled blobsDone = blobs.reconcile();
        InstallMarker.clear(meta);
        deleteStagedExcept(dataDir, null);
        LOG.info("installed a checkpoint: {} replicated rows", rows);
        return blobsDone;
    }

    /** On open, before the engine reads its rows: replaces them again from the staged copy if an install was cut off. */
    static void redoRows(MetaStore meta, Path dataDir) {
        String name = InstallMarker.staged(meta);
        if (name == null) {
            deleteStagedExcept(dataDir, null);
            return;
        }
        Path staged = stagingRoot(dataDir).resolve(name);
        if (!Files.isDirectory(staged)) {
            throw new EngineException(ErrorCode.IO_ERROR, "an install of checkpoint " + name + " was cut off and its"
                    + " staged copy " + staged + " is gone: the metadata is half replaced");
        }
        LOG.warn("an install of checkpoint {} was cut off: replacing the replicated rows again", name);
        ReplicatedRows.replace(meta, staged, () -> { });
    }

    /** On open, once the blob index is up: reconciles the blobs and ends a redone install. */
    static void finish(MetaStore meta, BlobIndex blobs, Path dataDir) {
        if (InstallMarker.staged(meta) == null) {
            return;
        }
        blobs.reconcile();
        InstallMarker.clear(meta);
        deleteStagedExcept(dataDir, null);
        LOG.info("the install of a checkpoint that was cut off is complete");
    }

    private static Path stagingRoot(Path dataDir) {
        return dataDir.resolve(STAGING);
    }

    /** Links (or copies) every file of {@code from} into {@code to} and syncs them and the directories. */
    private static void stage(Path from, Path to) {
        try {
            Files.createDirectories(to);
            List<Path> files;
            try (Stream<Path> s = Files.list(from)) {
                files = s.filter(Files::isRegularFile).toList();
            }
            for (Path f : files) {
                Path target = to.resolve(f.getFileName().toString());
                try {
                    Files.createLink(target, f);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(f, target); // another file system
                }
                try (FileChannel c = FileChannel.open(target, StandardOpenOption.WRITE)) {
                    c.force(true);
                }
            }
            syncDirectory(to);
            syncDirectory(to.getParent());
        } catch (IOException e) {
            throw EngineException.io("cannot stage the checkpoint " + from + " for its install", e);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    private static void deleteStagedExcept(Path dataDir, String keep) {
        Path root = stagingRoot(dataDir);
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                if (keep == null || !d.getFileName().toString().equals(keep)) {
                    deleteTree(d);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot delete staged checkpoints under {}; the next install retries", root, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
