package io.tessera.server.cli;

import io.tessera.server.admin.AdminReports.Space;
import io.tessera.server.admin.AdminReports.Status;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code tessera status}: version, uptime and space of a node (or of a data directory, offline). */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show a node's version, uptime, space and activity: buckets, objects, incomplete uploads and"
                + " the disk they hold, segment files with their live, dead and reclaimable bytes, write lanes,"
                + " fsyncs and garbage collection."},
        footer = {"", AdminCommand.EXIT_CODES})
final class StatusCommand extends AdminCommand {
    @Override
    int run(AdminClient client) {
        Status s = client.status();
        if (json) {
            printJson(s);
            return 0;
        }
        PrintWriter o = out();
        Space sp = s.space();
        o.println("Tessera " + s.version() + ", " + client.describe() + (s.uptimeSeconds() == null ? ""
                : ", up " + Human.age(s.uptimeSeconds()) + " (since " + s.started() + ")"));
        o.println("data dir     " + s.dataDir() + (s.diskTotalBytes() < 0 ? "" : " (disk: "
                + Human.bytes(s.diskFreeBytes()) + " free of " + Human.bytes(s.diskTotalBytes()) + ")"));
        o.println("buckets      " + sp.buckets() + ", holding " + sp.objects() + " objects of "
                + Human.bytes(sp.objectBytes()));
        o.println("uploads      " + sp.uploads() + " incomplete, holding " + Human.bytes(sp.uploadBytes())
                + (sp.oldestUpload() == null ? "" : "; the oldest started " + Human.age(sp.oldestUploadAgeSeconds())
                + " ago"));
        o.println("segments     " + sp.segments() + " files of " + Human.bytes(sp.segmentBytes()) + ": "
                + Human.bytes(sp.liveBytes()) + " live, " + Human.bytes(sp.deadBytes()) + " dead ("
                + Human.bytes(sp.reclaimableBytes()) + " reclaimable now)");
        o.println("tombstones   ~" + sp.tombstones() + " (completed and aborted uploads remembered)");
        o.println("write lanes  " + s.writeLanesBusy() + " of " + s.writeLanes() + " busy");
        o.println("fsyncs       " + s.fsyncs() + ", " + String.format(java.util.Locale.ROOT, "%.1f", s.fsyncSeconds())
                + " s in all");
        o.println("gc           " + s.gc().cycles() + " cycles: " + Human.bytes(s.gc().bytesReclaimed())
                + " given back, " + Human.bytes(s.gc().bytesCopied()) + " copied, " + s.gc().segmentsDeleted()
                + " segments deleted, " + s.gc().segmentsCompacted() + " compacted");
        o.flush();
        return 0;
    }
}
