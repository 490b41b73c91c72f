package io.tessera.server.cli;

import io.tessera.server.admin.AdminOperations;
import io.tessera.server.admin.AdminReports.Upload;
import io.tessera.server.admin.AdminReports.Uploads;
import io.tessera.server.admin.Durations;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tessera uploads list}: incomplete uploads older than an age, with their parts and bytes. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the incomplete multipart uploads older than an age: bucket, key, upload id, when it"
                + " started, its parts and the bytes they hold."},
        footer = {"", "Example: tessera uploads list --older-than 7d", "", AdminCommand.EXIT_CODES})
final class ListUploadsCommand extends AdminCommand {
    @Option(names = "--older-than", paramLabel = "AGE", description = "only uploads started this long ago or longer"
            + " (90s, 30m, 12h, 7d, 2w; default: 0s, every upload)")
    String olderThan = "0s";

    @Option(names = "--bucket", paramLabel = "B", description = "only this bucket")
    String bucket;

    @Option(names = "--limit", paramLabel = "N", description = "list at most N (default: 1000; counts and bytes"
            + " cover them all)")
    int limit = AdminOperations.MAX_LISTED;

    @Override
    int run(AdminClient client) {
        Cutoff cutoff;
        try {
            cutoff = Cutoff.olderThan(Durations.parse(olderThan));
        } catch (IllegalArgumentException e) {
            throw new AdminException("--older-than: " + e.getMessage());
        }
        if (limit < 1 || limit > 10_000) {
            throw new AdminException("--limit is from 1 to 10000");
        }
        Uploads u = client.uploads(cutoff, bucket, limit);
        if (json) {
            printJson(u);
            return 0;
        }
        if (!u.uploads().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"BUCKET", "KEY", "UPLOAD ID", "STARTED", "AGE", "PARTS", "BYTES"});
            for (Upload x : u.uploads()) {
                rows.add(new String[] {x.bucket(), x.key(), x.uploadId(), x.initiated(), Human.age(x.ageSeconds()),
                    Integer.toString(x.parts()), Human.bytes(x.bytes())});
            }
            TextTable.print(out(), rows, 4, 6);
        }
        out().println(u.count() + " incomplete uploads started at or before " + u.cutoff() + " hold "
                + Human.bytes(u.bytes()) + (u.truncated() ? " (the first " + u.uploads().size() + " listed)" : ""));
        out().flush();
        return 0;
    }
}
