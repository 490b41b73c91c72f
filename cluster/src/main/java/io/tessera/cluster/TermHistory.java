package io.tessera.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The term of every applied entry, kept as the first index applied in each term (one line per
 * election: {@code term firstIndex}). A {@link ReplicatedState} durably knows only its applied index;
 * Ratis also needs that entry's term to start from it (its log may be purged up to there), as Ozone
 * keeps term and index together in its TransactionInfo.
 *
 * <p>A new term is written and forced to disk before the first entry of that term is applied, so the
 * state can never hold an index whose term this file lacks.
 *
 * <p>Thread-safety: all methods are synchronized.
 */
final class TermHistory {
    private final Path file;
    /** first applied index of a term → that term. */
    private final TreeMap<Long, Long> termStarts = new TreeMap<>();

    private TermHistory(Path file) {
        this.file = file;
    }

    static TermHistory open(Path file) throws IOException {
        TermHistory history = new TermHistory(file);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] parts = line.trim().split(" ");
                // A line cut by a crash is the last one, written before its entry was applied: ignore it.
                if (parts.length == 2 && !parts[1].isEmpty()) {
                    history.termStarts.put(Long.parseLong(parts[1]), Long.parseLong(parts[0]));
                }
            }
        }
        return history;
    }

    /** The term of the applied entry at {@code index}; 0 for index 0 (nothing applied). */
    synchronized long termOf(long index) {
        Map.Entry<Long, Long> start = termStarts.floorEntry(index);
        return start == null ? 0 : start.getValue();
    }

    /** Records that the entry about to be applied at {@code index} has {@code term}, if that term is new. */
    synchronized void beforeApply(long term, long index) {
        Map.Entry<Long, Long> last = termStarts.lastEntry();
        if (last != null && last.getValue() >= term) {
            return;
        }
        termStarts.put(index, term);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap((term + " " + index + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record term " + term + " at " + index + " in " + file, e);
        }
    }

    /**
     * Before a snapshot install: the entry at {@code index} has {@code term}, and what follows comes
     * from the log after it. Earlier starts stay, so that a crash before the install still finds the
     * term of the old applied index.
     */
    synchronized void resetFrom(long term, long index) throws IOException {
        termStarts.tailMap(index, true).clear();
        termStarts.put(index, term);
        StringBuilder text = new StringBuilder();
        termStarts.forEach((start, t) -> text.append(t).append(' ').append(start).append('\n'));
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Durable.forceDirectory(file.getParent());
    }
}
