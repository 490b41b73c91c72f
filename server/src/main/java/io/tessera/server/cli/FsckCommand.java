package io.tessera.server.cli;

import io.tessera.server.admin.AdminReports.Fsck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tessera fsck}: verifies the data directory's invariants. */
@Command(name = "fsck", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check that every reference points at an intact record, that every blob has one owner and"
                + " that live-byte counts are right; with --bodies also read every stored byte against its CRC."
                + " Safe while the node serves."},
        footer = {"", "Exit codes:", "  0  clean", "  1  problems found (listed)", "  2  could not be done (see the"
                + " message)"})
final class FsckCommand extends AdminCommand {
    /** fsck ran and found broken invariants. */
    static final int PROBLEMS = 1;

    @Option(names = "--bodies", description = "also read and CRC-check every stored byte (reads the whole disk)")
    boolean bodies;

    @Override
    int run(AdminClient client) {
        Fsck f;
        try (Progress p = progress("fsck" + (bodies ? " with bodies" : "") + " (" + client.describe() + ")", -1)) {
            f = client.fsck(bodies);
        }
        if (json) {
            printJson(f);
            return f.clean() ? 0 : PROBLEMS;
        }
        String checked = f.blobs() + " blobs in " + f.segments() + " segments, " + Human.bytes(f.liveBytes())
                + " live, " + (bodies ? "every byte read" : "records and references (not the bodies)")
                + ", in " + Human.millis(f.durationMillis());
        if (f.clean()) {
            out().println("fsck: clean: " + checked);
        } else {
            out().println("fsck: " + f.problemCount() + " problems: " + checked);
            f.problems().forEach(p -> out().println("  " + p));
            if (f.problemCount() > f.problems().size()) {
                out().println("  ... and " + (f.problemCount() - f.problems().size()) + " more");
            }
        }
        if (f.orphanFileCount() > 0) {
            out().println(f.orphanFileCount() + " orphan segment files (the next open deletes them):");
            f.orphanFiles().forEach(o -> out().println("  " + o));
        }
        out().flush();
        return f.clean() ? 0 : PROBLEMS;
    }
}
