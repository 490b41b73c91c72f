package io.tessera.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tessera cluster}: a replicated group of nodes, as its members see it, and its membership. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Look at a group of nodes (started with --node-id, --peer-listen and --peers) and change its"
                + " members."},
        subcommands = {ClusterStatusCommand.class, ClusterReplaceCommand.class, CommandLine.HelpCommand.class})
final class ClusterCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
