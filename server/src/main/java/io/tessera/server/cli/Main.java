package io.tessera.server.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tessera} command line. */
@Command(name = "tessera", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Tessera: a standalone S3-compatible storage node.",
        subcommands = {ServeCommand.class, KeyCommand.class, BucketCommand.class,
                StatusCommand.class, SpaceCommand.class, UploadsCommand.class, GcCommand.class, FsckCommand.class,
                ClusterCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, ready to execute. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::explain);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * A setting the user must fix (a bad address, a missing or unusable file) fails with its message
     * alone and the exit code of invalid input; anything else keeps picocli's stack trace.
     */
    private static int explain(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (!(e instanceof IllegalArgumentException || e instanceof UncheckedIOException)) {
            throw e;
        }
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if (e instanceof UncheckedIOException && cause != null && cause.getMessage() != null) {
            message += ": " + cause.getMessage();
        }
        cmd.getErr().println(cmd.getColorScheme().errorText(cmd.getCommandSpec().qualifiedName() + ": " + message));
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The version from the jar manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tessera " + (v == null ? "(development build)" : v)};
        }
    }
}
