package io.tessera.server.cli;

import io.tessera.server.admin.AdminReports.BucketSpace;
import io.tessera.server.admin.AdminReports.SpaceReport;
import io.tessera.server.admin.AdminReports.Space;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tessera space}: what each bucket holds, incomplete uploads included. */
@Command(name = "space", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the space of every bucket (or one): its objects and their bytes, and its incomplete"
                + " multipart uploads with the exact bytes their parts hold on disk."},
        footer = {"", AdminCommand.EXIT_CODES})
final class SpaceCommand extends AdminCommand {
    @Option(names = "--bucket", paramLabel = "B", description = "only this bucket")
    String bucket;

    @Override
    int run(AdminClient client) {
        SpaceReport r = client.space(bucket);
        if (json) {
            printJson(r);
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BUCKET", "OBJECTS", "OBJECT BYTES", "UPLOADS", "UPLOAD BYTES", "OLDEST UPLOAD"});
        for (BucketSpace b : r.buckets()) {
            rows.add(new String[] {b.bucket(), Long.toString(b.objects()), Human.bytes(b.objectBytes()),
                Long.toString(b.uploads()), Human.bytes(b.uploadBytes()), b.oldestUpload() == null ? "-"
                    : b.oldestUpload()});
        }
        if (bucket == null) {
            Space t = r.total();
            rows.add(new String[] {"(all " + t.buckets() + ")", Long.toString(t.objects()),
                Human.bytes(t.objectBytes()), Long.toString(t.uploads()), Human.bytes(t.uploadBytes()),
                t.oldestUpload() == null ? "-" : t.oldestUpload()});
        }
        TextTable.print(out(), rows, 1, 4);
        return 0;
    }
}
