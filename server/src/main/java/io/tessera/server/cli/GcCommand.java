package io.tessera.server.cli;

import io.tessera.server.admin.AdminReports.Gc;
import picocli.CommandLine.Command;

/** {@code tessera gc}: one full garbage collection cycle now. */
@Command(name = "gc", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a full garbage collection cycle now: reclaim the parts of aborted uploads, delete dead"
                + " segment files and compact every segment holding garbage. Reads and writes go on meanwhile."},
        footer = {"", AdminCommand.EXIT_CODES})
final class GcCommand extends AdminCommand {
    @Override
    int run(AdminClient client) {
        Gc g;
        try (Progress p = progress("gc (" + client.describe() + ")", -1)) {
            g = client.gc();
        }
        if (json) {
            printJson(g);
            return 0;
        }
        out().println("gc: gave back " + Human.bytes(g.bytesReclaimed()) + " in " + Human.millis(g.durationMillis())
                + ": " + g.segmentsDeleted() + " dead segments deleted, " + g.segmentsCompacted()
                + " compacted (" + Human.bytes(g.bytesCopied()) + " of live records copied); dead bytes "
                + Human.bytes(g.deadBytesBefore()) + " -> " + Human.bytes(g.deadBytesAfter()) + ", segment files "
                + Human.bytes(g.segmentBytesBefore()) + " -> " + Human.bytes(g.segmentBytesAfter()));
        out().flush();
        return 0;
    }
}
