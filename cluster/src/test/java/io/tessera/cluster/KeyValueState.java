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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small real {@link ReplicatedState} for the tests: a key→value map kept in memory and written whole
 * to a file {@code state} (first line: applied index and the number of entries ever applied to make
 * it) by {@code persist}, {@code checkpoint} and {@code install}. Entries are text: {@code put k v},
 * {@code cas k old new}, {@code incr k}, {@code get k}; anything else is answered {@code error}.
 *
 * <p>It also takes transfers ({@link BytesReceiver}): the header names a blob, written to
 * {@code blobs/<name>.part}, synced and renamed to {@code blobs/<name>} at commit, deleted at abort.
 *
 * <p>It also records what the tests check: how many entries this incarnation applied, and any call
 * that broke the contract (an index not above the applied one).
 *
 * <p>Thread-safety: synchronized, so a test may read it while the state thread applies.
 */
final class KeyValueState implements ReplicatedState, BytesReceiver {
    private static final String FILE = "state";
    private static final String BLOBS = "blobs";

    private final Path dir;
    private final TreeMap<String, String> map = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private long applied;
    /** Entries applied to reach this state, over every incarnation and snapshot: part of the state. */
    private long appliesInState;
    private long appliesThisIncarnation;
    private boolean persistFrozen;
    /** Names of the blobs whose transfer was aborted, in order. */
    private final LinkedBlockingQueue<String> aborted = new LinkedBlockingQueue<>();

    KeyValueState(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            if (Files.exists(dir.resolve(FILE))) {
                load(dir.resolve(FILE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized long appliedIndex() {
        return applied;
    }

    @Override
    public synchronized byte[] apply(long index, byte[] entry) {
        if (index <= applied) {
            violations.add("apply(" + index + ") after applied index " + applied);
        }
        applied = index;
        appliesInState++;
        appliesThisIncarnation++;
        return answer(new String(entry, StandardCharsets.UTF_8).split(" ")).getBytes(StandardCharsets.UTF_8);
    }

    private String answer(String[] cmd) {
        switch (cmd[0]) {
            case "put":
                map.put(cmd[1], cmd[2]);
                return "ok";
            case "cas":
                String current = map.get(cmd[1]);
                if (cmd[2].equals(current == null ? "-" : current)) {
                    map.put(cmd[1], cmd[3]);
                    return "ok";
                }
                return "mismatch " + current;
            case "incr":
                long next = Long.parseLong(map.getOrDefault(cmd[1], "0")) + 1;
                map.put(cmd[1], Long.toString(next));
                return Long.toString(next);
            case "get":
                return map.getOrDefault(cmd[1], "-");
            default:
                return "error unknown command " + cmd[0];
        }
    }

    @Override
    public synchronized long persist() {
        if (!persistFrozen) {
            write(dir.resolve(FILE));
        }
        return durableIndex();
    }

    @Override
    public synchronized long checkpoint(Path into) {
        write(into.resolve(FILE));
        return applied;
    }

    @Override
    public synchronized void install(Path from) {
        try {
            load(from.resolve(FILE));
            Files.copy(from.resolve(FILE), dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public BytesSink receive(byte[] header, long length) throws IOException {
        String name = new String(header, StandardCharsets.UTF_8);
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IOException("not a blob name: " + name);
        }
        Path blobs = Files.createDirectories(dir.resolve(BLOBS));
        return new BlobFile(blobs, name);
    }

    /** The committed blob of that name, or null. */
    Path blob(String name) {
        Path file = dir.resolve(BLOBS).resolve(name);
        return Files.exists(file) ? file : null;
    }

    /** Names of what is in the blob directory now, partial files included. */
    List<String> blobFiles() throws IOException {
        Path blobs = dir.resolve(BLOBS);
        if (!Files.exists(blobs)) {
            return List.of();
        }
        try (var list = Files.list(blobs)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Waits for the next aborted transfer and names its blob (null if none within the wait). */
    String awaitAbort(long millis) throws InterruptedException {
        return aborted.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** One incoming blob: a partial file that becomes the blob once synced. */
    private final class BlobFile implements BytesSink {
        private final Path dir;
        private final String name;
        private final Path part;
        private final FileChannel channel;

        BlobFile(Path dir, String name) throws IOException {
            this.dir = dir;
            this.name = name;
            // Unique: a sender that retries may open a second sink of the same blob before the first aborts.
            this.part = dir.resolve(name + "." + UUID.randomUUID() + ".part");
            this.channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            while (src.hasRemaining()) {
                channel.write(src);
            }
        }

        @Override
        public void commit() throws IOException {
            channel.force(true);
            channel.close();
            Files.move(part, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }

        @Override
        public void abort() {
            try {
                channel.close();
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // The test then sees the partial file left behind.
            } finally {
                aborted.add(name);
            }
        }
    }

    /** From now on persist writes nothing: what is applied after this is lost when the node stops. */
    synchronized void freezePersistence() {
        persistFrozen = true;
    }

    synchronized String get(String key) {
        return map.get(key);
    }

    synchronized Map<String, String> contents() {
        return new TreeMap<>(map);
    }

    synchronized long appliesInState() {
        return appliesInState;
    }

    synchronized long appliesThisIncarnation() {
        return appliesThisIncarnation;
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    private long durableIndex() {
        try {
            if (!Files.exists(dir.resolve(FILE))) {
                return 0;
            }
            return Long.parseLong(Files.readAllLines(dir.resolve(FILE), StandardCharsets.UTF_8).get(0).split(" ")[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Path file) {
        StringBuilder text = new StringBuilder().append(applied).append(' ').append(appliesInState).append('\n');
        map.forEach((k, v) -> text.append(k).append('\t').append(v).append('\n'));
        Path temp = file.resolveSibling(FILE + ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] head = lines.get(0).split(" ");
        applied = Long.parseLong(head[0]);
        appliesInState = Long.parseLong(head[1]);
        map.clear();
        for (String line : lines.subList(1, lines.size())) {
            int tab = line.indexOf('\t');
            map.put(line.substring(0, tab), line.substring(tab + 1));
        }
    }
}
