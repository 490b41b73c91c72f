package io.tessera.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tessera uploads}: the incomplete multipart uploads, forgotten ones above all. */
@Command(name = "uploads", mixinStandardHelpOptions = true,
        description = {"Find and clean up incomplete multipart uploads: their parts hold disk until the upload is"
                + " completed or aborted."},
        subcommands = {ListUploadsCommand.class, AbortUploadsCommand.class, CommandLine.HelpCommand.class})
final class UploadsCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
