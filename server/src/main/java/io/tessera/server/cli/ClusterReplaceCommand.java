package io.tessera.server.cli;

import io.tessera.server.admin.AdminReports.Replace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tessera cluster replace DEAD NEW --new-address HOST:PORT}: a membership change, asked of a running member. */
@Command(name = "replace", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replace the group member DEAD by NEW (a Raft membership change). Start NEW first, with"
                + " --node-id NEW and --peers naming NEW instead of DEAD; it catches up (by snapshot when the log no"
                + " longer reaches back far enough) before the change commits. Ask any running member."},
        footer = {"", AdminCommand.EXIT_CODES})
final class ClusterReplaceCommand extends AdminCommand {
    @Parameters(index = "0", paramLabel = "DEAD", description = "the id of the member to remove")
    String dead;

    @Parameters(index = "1", paramLabel = "NEW", description = "the id of the member that takes its place")
    String replacement;

    @Option(names = "--new-address", required = true, paramLabel = "HOST:PORT",
            description = "the new member's peer address (its --peer-listen)")
    String newAddress;

    @Override
    AdminClient connect() {
        return target.connectRemote();
    }

    @Override
    int run(AdminClient client) {
        Replace r = client.replaceMember(dead, replacement, newAddress);
        if (json) {
            printJson(r);
            return 0;
        }
        out().println(r.dead() + " replaced by " + r.replacement() + "=" + r.address() + "; the group now: "
                + ClusterStatusCommand.peers(r.cluster()));
        out().flush();
        return 0;
    }
}
