package io.tessera.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every admin command shares: where it works ({@link AdminTarget}), {@code --json} for scripts,
 * and how failure ends it: one line saying why and exit code {@value #FAILED}. Reports go to the
 * command's output, progress and errors to its error stream.
 */
abstract class AdminCommand implements Callable<Integer> {
    /** The command could not do its work (no node, refused key, a data directory in use, ...). */
    static final int FAILED = 2;
    static final String EXIT_CODES = "Exit codes:%n  0  done%n  2  could not be done (see the message)";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    AdminTarget target;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (AdminClient client = connect()) {
            return run(client);
        } catch (AdminException e) {
            return failed(e);
        }
    }

    /** Who answers: a running node, or the data directory offline when only {@code --data} was given. */
    AdminClient connect() {
        return target.connect(spec.qualifiedName());
    }

    /** Prints why the command failed, and answers its exit code. */
    int failed(AdminException e) {
        err().println(spec.commandLine().getColorScheme().errorText(spec.qualifiedName() + ": " + e.getMessage()));
        err().flush();
        return FAILED;
    }

    /** Does the command's work; returns its exit code. */
    abstract int run(AdminClient client);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void printJson(Object document) {
        try {
            out().println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out().flush();
    }

    /** Progress of a long task of {@code max} steps (-1: unknown). */
    Progress progress(String task, long max) {
        return Progress.start(task, max, err(), Progress.terminal());
    }
}
