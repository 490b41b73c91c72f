package io.tessera.server.group;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this member exchanged with its group since it started: blob bytes streamed to other members and
 * received from them (over Ratis DataStream, shipped ahead of an entry or fetched by a member that lacked
 * them; counted as they travel, so a transfer cut short counts what went), and the log entries applied
 * here by kind of command. Counters only grow.
 *
 * <p>Thread-safe.
 */
public final class GroupTraffic {
    private final LongAdder blobBytesSent = new LongAdder();
    private final LongAdder blobBytesReceived = new LongAdder();
    private final Map<String, LongAdder> applied = new ConcurrentHashMap<>();

    void sent(long bytes) {
        blobBytesSent.add(bytes);
    }

    void received(long bytes) {
        blobBytesReceived.add(bytes);
    }

    void applied(String command) {
        applied.computeIfAbsent(command, k -> new LongAdder()).increment();
    }

    /** Blob bytes this member streamed to others. */
    public long blobBytesSent() {
        return blobBytesSent.sum();
    }

    /** Blob bytes other members streamed to this one. */
    public long blobBytesReceived() {
        return blobBytesReceived.sum();
    }

    /** Entries applied here by command name ({@code DeleteObject}, ...), sorted by name. */
    public Map<String, Long> appliedCommands() {
        Map<String, Long> out = new TreeMap<>();
        applied.forEach((name, n) -> out.put(name, n.sum()));
        return out;
    }
}
