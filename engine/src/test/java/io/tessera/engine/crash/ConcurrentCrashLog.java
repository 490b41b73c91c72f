package io.tessera.engine.crash;

import io.tessera.engine.testkit.ObjectImage;
import io.tessera.engine.testkit.VersionHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the parent learns from one round of {@link ConcurrentCrashWorkload}'s output: every write as a
 * version of its key (or of its upload's part number) that began and was acknowledged at the line
 * numbers where the child announced it, so that after the kill the versions a key may hold are known
 * (see {@link VersionHistory}). Uploads are tracked with the commands that may have finished them.
 *
 * <p>Not thread-safe: fed by the one thread that reads the child's output.
 */
final class ConcurrentCrashLog {
    /** One command as announced. */
    static final class Command {
        final String id;
        final String[] fields;
        VersionHistory<ObjectImage> history;
        VersionHistory.Version<ObjectImage> version;
        /** For a COMPLETE: the version it shares with Completes of the same upload and part list. */
        Shared shared;
        boolean acked;

        Command(String id, String[] fields) {
            this.id = id;
            this.fields = fields;
        }

        String kind() {
            return fields[2];
        }

        @Override
        public String toString() {
            return String.join(" ", fields);
        }
    }

    /**
     * Completes of one upload with the same part list: a repeat succeeds by replaying the first one's
     * commit, which happened before either was acknowledged, so they stand for one version.
     */
    static final class Shared {
        final VersionHistory.Version<ObjectImage> version;
        int holders;
        boolean acked;

        Shared(VersionHistory.Version<ObjectImage> version) {
            this.version = version;
        }
    }

    /** An upload whose create was acknowledged. */
    static final class Upload {
        final String key;
        final Map<Integer, VersionHistory<ObjectImage>> parts = new TreeMap<>();
        /** COMPLETE and ABORT commands begun and not refused. */
        final List<Command> closes = new ArrayList<>();
        final Map<String, Shared> completes = new HashMap<>();
        boolean closeAcked;

        Upload(String key) {
            this.key = key;
        }

        VersionHistory<ObjectImage> part(int n) {
            return parts.computeIfAbsent(n, k -> new VersionHistory<>(null, "no part " + k));
        }
    }

    private final Map<String, VersionHistory<ObjectImage>> objects;
    final Map<String, Command> commands = new HashMap<>();
    final Map<String, Upload> uploads = new TreeMap<>();
    /** Keys of creates begun and not acknowledged: they may leave an upload nobody knows the id of. */
    final List<String> creating = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    boolean done;

    ConcurrentCrashLog(Map<String, VersionHistory<ObjectImage>> objects) {
        this.objects = objects;
    }

    void apply(String line, long tick) {
        String[] f = line.split(" ");
        switch (f[0]) {
            case "READY" -> { }
            case "DONE" -> done = true;
            case "ERROR" -> errors.add(line);
            case "BEGIN" -> begin(new Command(f[1], f), tick);
            case "ACK" -> ack(commands.get(f[1]), f, tick);
            case "REFUSED" -> refused(commands.get(f[1]), f[2]);
            default -> problems.add("unexpected line from the child: " + line);
        }
    }

    private VersionHistory<ObjectImage> object(String key) {
        return objects.computeIfAbsent(key, k -> new VersionHistory<>(null, "never written"));
    }

    private void begin(Command c, long tick) {
        String[] f = c.fields;
        commands.put(c.id, c);
        switch (c.kind()) {
            case "PUT" -> {
                c.history = object(f[3]);
                c.version = c.history.begin(ObjectImage.single(Long.parseLong(f[4]),
                        ConcurrentCrashWorkload.index(f[3]), Long.parseLong(f[5])), c.toString(), tick);
            }
            case "DEL" -> {
                c.history = object(f[3]);
                c.version = c.history.begin(null, c.toString(), tick);
            }
            case "CREATE" -> creating.add(f[3]);
            case "PART" -> {
                c.history = uploads.get(f[3]).part(Integer.parseInt(f[5]));
                c.version = c.history.begin(ObjectImage.single(Long.parseLong(f[6]),
                        ConcurrentCrashWorkload.index(f[4]), Long.parseLong(f[7])), c.toString(), tick);
            }
            case "COMPLETE" -> {
                List<ObjectImage.Part> parts = new ArrayList<>();
                for (String p : f[5].split(",")) {
                    String[] q = p.split(":");
                    parts.add(new ObjectImage.Part(Integer.parseInt(q[0]), List.of(new ObjectImage.Run(
                            Long.parseLong(q[1]), ConcurrentCrashWorkload.index(f[4]), 0, Long.parseLong(q[2])))));
                }
                Upload u = uploads.get(f[3]);
                VersionHistory<ObjectImage> h = object(f[4]);
                c.history = h;
                c.shared = u.completes.computeIfAbsent(f[5],
                        k -> new Shared(h.begin(new ObjectImage(true, parts), c.toString(), tick)));
                c.shared.holders++;
                c.version = c.shared.version;
                u.closes.add(c);
            }
            case "ABORT" -> uploads.get(f[3]).closes.add(c);
            default -> problems.add("unknown command " + c);
        }
    }

    private void ack(Command c, String[] f, long tick) {
        c.acked = true;
        if (c.shared != null) {
            if (!c.shared.acked) {
                c.history.ack(c.version, tick);
                c.shared.acked = true;
            }
        } else if (c.version != null) {
            c.history.ack(c.version, tick);
        }
        switch (c.kind()) {
            case "CREATE" -> {
                creating.remove(c.fields[3]);
                uploads.put(f[2], new Upload(c.fields[3]));
            }
            case "COMPLETE", "ABORT" -> uploads.get(c.fields[3]).closeAcked = true;
            default -> { }
        }
    }

    /** The engine refused the command: it did not happen. NO_SUCH_UPLOAD needs a close to explain it. */
    private void refused(Command c, String code) {
        if (c.shared != null) {
            if (--c.shared.holders == 0 && !c.shared.acked) {
                c.history.refuse(c.version);
                uploads.get(c.fields[3]).completes.remove(c.fields[5]);
            }
        } else if (c.version != null) {
            c.history.refuse(c.version);
        }
        Upload u = c.kind().equals("PART") || c.kind().equals("COMPLETE") || c.kind().equals("ABORT")
                ? uploads.get(c.fields[3]) : null;
        if (u == null) {
            problems.add("refused " + code + " for a command that cannot be refused: " + c);
            return;
        }
        u.closes.remove(c);
        if (code.equals("NO_SUCH_UPLOAD") && u.closes.isEmpty() && !u.closeAcked) {
            problems.add("NO_SUCH_UPLOAD for " + c + " though nothing completed or aborted the upload");
        }
    }
}
