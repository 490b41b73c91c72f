package io.tessera.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * The term and index of the last snapshot: the durable applied index a {@code takeSnapshot} or a
 * snapshot install reached. It carries no data (the state holds that); Ratis purges its log up to it.
 * Written to a temporary file and renamed, so it is always one whole marker.
 *
 * <p>Thread-safety: {@link #write} is synchronized; {@link #last} reads a volatile.
 */
final class SnapshotMarker {
    private final Path file;
    private volatile TermIndex last;

    private SnapshotMarker(Path file, TermIndex last) {
        this.file = file;
        this.last = last;
    }

    static SnapshotMarker open(Path file) throws IOException {
        TermIndex last = null;
        if (Files.exists(file)) {
            String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
            last = TermIndex.valueOf(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        }
        return new SnapshotMarker(file, last);
    }

    /** The last marker written, or null before the first snapshot. */
    TermIndex last() {
        return last;
    }

    synchronized void write(TermIndex snapshot) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((snapshot.getTerm() + " " + snapshot.getIndex() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Durable.forceDirectory(file.getParent());
        last = snapshot;
    }
}
