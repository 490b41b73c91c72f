package io.tessera.server.cli;

import io.tessera.server.admin.AdminReports.Cluster;
import io.tessera.server.admin.AdminReports.FollowerLag;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * {@code tessera cluster status}: the group as one node sees it, or with several {@code --endpoint}s a table
 * of one row per node. The lag of a node is what the leader among the answers (of the highest term) reports.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the group as a node sees it: its role, the leader, the term, the commit and applied"
                + " index, the last snapshot, the members and, on the leader, how far each follower lags. Given"
                + " several --endpoint (one per node), a table with one row per node."},
        footer = {"", "Exit codes:%n  0  every node asked answered%n  2  a node could not be asked, or is not in a"
                + " group (see the message; the table shows the others)"})
final class ClusterStatusCommand extends AdminCommand {
    /** One node's answer, or why there is none: the JSON of several endpoints. */
    record NodeView(String endpoint, Cluster cluster, String error) {
    }

    @Override
    AdminClient connect() {
        return target.connectRemote();
    }

    @Override
    public Integer call() {
        if (target.endpoints.size() <= 1) {
            return super.call();
        }
        List<AdminClient> clients;
        try {
            clients = target.connectEach();
        } catch (AdminException e) {
            return failed(e);
        }
        List<NodeView> views = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            String endpoint = target.endpoints.get(i).toString();
            try (AdminClient c = clients.get(i)) {
                views.add(new NodeView(endpoint, c.cluster(), null));
            } catch (AdminException e) {
                views.add(new NodeView(endpoint, null, e.getMessage()));
            }
        }
        if (json) {
            printJson(views);
        } else {
            table(views);
        }
        boolean all = true;
        for (NodeView v : views) {
            if (v.error() != null) {
                err().println(spec.qualifiedName() + ": " + v.error());
                all = false;
            }
        }
        err().flush();
        return all ? 0 : FAILED;
    }

    @Override
    int run(AdminClient client) {
        Cluster c = client.cluster();
        if (json) {
            printJson(c);
            return 0;
        }
        PrintWriter o = out();
        o.println("Group as " + c.nodeId() + " sees it (" + client.describe() + ")");
        o.println("role        " + c.role() + " in term " + c.term() + (c.failed() ? "; FAILED: it no longer serves"
                : ""));
        o.println("leader      " + (c.leaderId() == null ? "none known" : c.leaderId()));
        o.println("log         commit index " + c.commitIndex() + ", applied index " + c.appliedIndex()
                + (c.commitIndex() > c.appliedIndex() ? " (" + (c.commitIndex() - c.appliedIndex()) + " to apply)"
                : ""));
        o.println("snapshots   last at index " + c.lastSnapshotIndex() + "; " + c.snapshotsTaken() + " taken, "
                + c.snapshotInstalls() + " installed from a leader");
        o.println("members     " + peers(c));
        if (!c.followers().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"FOLLOWER", "MATCH", "LAG"});
            for (FollowerLag f : c.followers()) {
                rows.add(new String[] {f.id(), Long.toString(f.matchIndex()), Long.toString(f.lag())});
            }
            o.println();
            TextTable.print(o, rows, 1, 2);
        }
        o.flush();
        return 0;
    }

    static String peers(Cluster c) {
        return c.peers().stream().map(p -> p.id() + "=" + p.address()).collect(Collectors.joining(", "));
    }

    private void table(List<NodeView> views) {
        Cluster leader = null;
        for (NodeView v : views) {
            Cluster c = v.cluster();
            if (c != null && "LEADER".equals(c.role()) && (leader == null || c.term() > leader.term())) {
                leader = c;
            }
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "ROLE", "LEADER", "TERM", "COMMIT", "APPLIED", "LAG", "LAST SNAPSHOT",
            "ENDPOINT"});
        for (NodeView v : views) {
            Cluster c = v.cluster();
            if (c == null) {
                rows.add(new String[] {"?", "unreachable", "-", "-", "-", "-", "-", "-", v.endpoint()});
                continue;
            }
            rows.add(new String[] {c.nodeId(), c.role() + (c.failed() ? " (FAILED)" : ""),
                c.leaderId() == null ? "none" : c.leaderId(), Long.toString(c.term()), Long.toString(c.commitIndex()),
                Long.toString(c.appliedIndex()), lag(leader, c), Long.toString(c.lastSnapshotIndex()), v.endpoint()});
        }
        TextTable.print(out(), rows, 3, 7);
    }

    /** The lag of {@code c} as {@code leader} reports it: 0 for the leader itself, "-" when unknown. */
    private static String lag(Cluster leader, Cluster c) {
        if (leader == null) {
            return "-";
        }
        if (leader.nodeId().equals(c.nodeId())) {
            return "0";
        }
        for (FollowerLag f : leader.followers()) {
            if (f.id().equals(c.nodeId())) {
                return Long.toString(f.lag());
            }
        }
        return "-";
    }
}
