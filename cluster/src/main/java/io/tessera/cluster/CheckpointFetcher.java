package io.tessera.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower side of snapshot installation: asks a peer's {@link CheckpointSource} for a fresh
 * checkpoint and copies its files, piece by piece, into a local directory, each file forced to disk.
 * The requests are Ratis stale reads addressed to that peer: they need no quorum and no leader check.
 *
 * <p>Not thread-safe: one fetch at a time, on the install thread.
 */
final class CheckpointFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFetcher.class);

    private final RaftClient client;
    private final RaftPeerId source;

    CheckpointFetcher(RaftClient client, RaftPeerId source) {
        this.client = client;
        this.source = source;
    }

    /** Copies a new checkpoint of {@code source} into the empty directory {@code into}; answers its manifest. */
    CheckpointManifest fetch(Path into) throws IOException {
        CheckpointManifest manifest = CheckpointManifest.decode(ask(StateQuery.OPEN).getContent().newInput());
        LOG.info("copying checkpoint {} at index {} ({} files) from {}", manifest.id(), manifest.index(),
                manifest.files().size(), source);
        try {
            for (int fileNo = 0; fileNo < manifest.files().size(); fileNo++) {
                copyFile(manifest, fileNo, into);
            }
            Durable.forceDirectory(into);
        } finally {
            try {
                ask(StateQuery.close(manifest.id()));
            } catch (IOException e) {
                // The source drops it anyway once newer checkpoints replace it.
                LOG.warn("cannot close checkpoint {} on {}", manifest.id(), source, e);
            }
        }
        return manifest;
    }

    private void copyFile(CheckpointManifest manifest, int fileNo, Path into) throws IOException {
        CheckpointManifest.FileEntry entry = manifest.files().get(fileNo);
        Path target = into.resolve(entry.path()).normalize();
        if (!target.startsWith(into)) {
            throw new IOException("checkpoint file " + entry.path() + " leaves its directory");
        }
        Files.createDirectories(target.getParent());
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long offset = 0;
            while (offset < entry.size()) {
                ByteBuffer piece = ask(StateQuery.read(manifest.id(), fileNo, offset, CheckpointSource.MAX_PIECE))
                        .getContent().asReadOnlyByteBuffer();
                if (!piece.hasRemaining()) {
                    throw new IOException("checkpoint file " + entry.path() + " ended at " + offset);
                }
                while (piece.hasRemaining()) {
                    offset += out.write(piece, offset);
                }
            }
            out.force(true);
        }
    }

    private Message ask(StateQuery query) throws IOException {
        RaftClientReply reply = client.io().sendStaleRead(query.toMessage(), 0, source);
        if (!reply.isSuccess()) {
            throw new IOException(query.kind() + " failed on " + source, reply.getException());
        }
        return reply.getMessage();
    }
}
