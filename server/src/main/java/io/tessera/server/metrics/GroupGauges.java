package io.tessera.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tessera.cluster.ClusterStatus;
import io.tessera.server.group.GroupTraffic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The group's gauges of a member node, read from one {@link ClusterStatus} per scrape: {@link #refresh()}
 * takes it, then every meter reads the same moment. The follower lags exist on the leader only, one per
 * follower it tracks; they appear and go as the node's role changes. While the status cannot be read (the
 * group's node closed) the gauges read NaN. Beside them, counters of what the member exchanged ({@link GroupTraffic}): blob bytes
 * sent to and received from the others, and entries applied by command, one series per command seen so far.
 *
 * <p>Thread-safe.
 */
final class GroupGauges {
    private final Supplier<ClusterStatus> source;
    private final GroupTraffic traffic;
    private volatile ClusterStatus status;
    private MultiGauge followerLag;
    private MeterRegistry registry;
    /** The commands whose applied counter is registered. */
    private final Set<String> commands = new HashSet<>();

    GroupGauges(Supplier<ClusterStatus> source, GroupTraffic traffic) {
        this.source = source;
        this.traffic = traffic;
        this.status = read(source);
    }

    private static ClusterStatus read(Supplier<ClusterStatus> source) {
        try {
            return source.get();
        } catch (IllegalStateException e) { // the group's node closed: after a failure, or at shutdown
            return null;
        }
    }

    synchronized void refresh() {
        ClusterStatus s = read(source);
        status = s;
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        if (s != null) {
            for (ClusterStatus.FollowerProgress f : s.followers()) {
                rows.add(MultiGauge.Row.of(Tags.of("follower", f.id()), f.lag()));
            }
        }
        followerLag.register(rows, true); // overwrite: followers this view no longer has are dropped
        for (String command : traffic.appliedCommands().keySet()) {
            if (commands.add(command)) {
                FunctionCounter.builder("tessera.group.commands.applied", traffic,
                                t -> t.appliedCommands().getOrDefault(command, 0L))
                        .tag("command", command)
                        .description("Log entries applied on this node, by command").register(registry);
            }
        }
    }

    synchronized void register(MeterRegistry r) {
        registry = r;
        FunctionCounter.builder("tessera.group.blob.bytes.sent", traffic, GroupTraffic::blobBytesSent)
                .description("Blob bytes this node streamed to other members (ahead of entries, and fetches)")
                .register(r);
        FunctionCounter.builder("tessera.group.blob.bytes.received", traffic, GroupTraffic::blobBytesReceived)
                .description("Blob bytes other members streamed to this node").register(r);
        gauge(r, "tessera.group.leader", "1 while this node leads its group, else 0", s -> s.isLeader() ? 1 : 0);
        gauge(r, "tessera.group.has.leader", "1 while this node knows a leader of its group, else 0",
                s -> s.leaderId() != null ? 1 : 0);
        gauge(r, "tessera.group.term", "The group's current term as this node knows it", ClusterStatus::term);
        gauge(r, "tessera.group.commit.index", "The highest log index this node knows to be committed",
                ClusterStatus::commitIndex);
        gauge(r, "tessera.group.applied.index", "The highest log index applied on this node",
                ClusterStatus::appliedIndex);
        gauge(r, "tessera.group.last.snapshot.index", "The log index of the last snapshot taken or installed here",
                ClusterStatus::lastSnapshotIndex);
        FunctionCounter.builder("tessera.group.snapshot.installs", this, g -> value(g.status,
                        ClusterStatus::snapshotInstalls))
                .description("Snapshots installed from a leader since the node started").register(r);
        followerLag = MultiGauge.builder("tessera.group.follower.lag")
                .description("On the leader: entries in its log after what each follower holds").register(r);
        refresh();
    }

    private void gauge(MeterRegistry r, String name, String help, ToDoubleFunction<ClusterStatus> f) {
        Gauge.builder(name, this, g -> value(g.status, f)).description(help).strongReference(true).register(r);
    }

    private static double value(ClusterStatus s, ToDoubleFunction<ClusterStatus> f) {
        return s == null ? Double.NaN : f.applyAsDouble(s);
    }
}
