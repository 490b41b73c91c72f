package io.tessera.server.cli;

import io.tessera.server.admin.AdminOperations;
import io.tessera.server.admin.AdminReports.Abort;
import io.tessera.server.admin.AdminReports.Upload;
import io.tessera.server.admin.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tessera uploads abort}: aborts the incomplete uploads older than an age, in batches, with a
 * progress bar. The first batch fixes the cutoff instant; later batches use that instant, so uploads that
 * grow old while the run goes on are left for the next run, and the run ends.
 */
@Command(name = "abort", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Abort the incomplete multipart uploads older than an age. Each abort is final at once;"
                + " the bytes of their parts are given back to the file system by the next GC cycles"
                + " (tessera gc runs one now)."},
        footer = {"", "Example: tessera uploads abort --older-than 7d --dry-run", "", AdminCommand.EXIT_CODES})
final class AbortUploadsCommand extends AdminCommand {
    @Option(names = "--older-than", required = true, paramLabel = "AGE", description = "abort uploads started this"
            + " long ago or longer (90s, 30m, 12h, 7d, 2w; 0s: every upload)")
    String olderThan;

    @Option(names = "--dry-run", description = "only list what would be aborted")
    boolean dryRun;

    @Option(names = "--bucket", paramLabel = "B", description = "only this bucket")
    String bucket;

    @Option(names = "--batch", paramLabel = "N", description = "uploads aborted per request (default: 250)")
    int batch = 250;

    @Override
    int run(AdminClient client) {
        Cutoff cutoff;
        try {
            cutoff = Cutoff.olderThan(Durations.parse(olderThan));
        } catch (IllegalArgumentException e) {
            throw new AdminException("--older-than: " + e.getMessage());
        }
        if (batch < 1 || batch > 10_000) {
            throw new AdminException("--batch is from 1 to 10000");
        }
        return dryRun ? dry(client, cutoff) : abort(client, cutoff);
    }

    private int dry(AdminClient client, Cutoff cutoff) {
        Abort a = client.abortUploads(cutoff, bucket, AdminOperations.MAX_LISTED, true);
        if (json) {
            printJson(a);
            return 0;
        }
        list(a.uploads());
        out().println("dry run: would abort " + a.matched() + " uploads started at or before " + a.cutoff()
                + (a.more() ? " (the first " + a.uploads().size() + " listed, holding " + Human.bytes(a.bytes()) + ")"
                : ", holding " + Human.bytes(a.bytes())));
        out().flush();
        return 0;
    }

    private int abort(AdminClient client, Cutoff cutoff) {
        Abort first = client.abortUploads(cutoff, bucket, batch, false);
        long matched = first.matched();
        long aborted = first.aborted();
        long gone = first.gone();
        long bytes = first.bytes();
        List<Upload> listed = new ArrayList<>(first.uploads());
        Abort last = first;
        if (last.more()) {
            Cutoff fixed = Cutoff.before(Instant.parse(first.cutoff()));
            try (Progress p = progress("aborting uploads", matched)) {
                p.stepTo(aborted + gone, matched);
                while (last.more() && last.aborted() + last.gone() > 0) {
                    last = client.abortUploads(fixed, bucket, batch, false);
                    aborted += last.aborted();
                    gone += last.gone();
                    bytes += last.bytes();
                    if (listed.size() < AdminOperations.MAX_LISTED) {
                        listed.addAll(last.uploads().subList(0, Math.min(last.uploads().size(),
                                AdminOperations.MAX_LISTED - listed.size())));
                    }
                    p.stepTo(Math.min(aborted + gone, matched), Math.max(matched, aborted + gone));
                }
            }
        }
        if (json) {
            printJson(new Abort(false, first.cutoff(), matched, aborted, gone, bytes, listed, last.more()));
            return 0;
        }
        out().println("aborted " + aborted + " uploads started at or before " + first.cutoff() + ", holding "
                + Human.bytes(bytes) + " (the next GC cycles give it back; tessera gc runs one now)"
                + (gone > 0 ? "; " + gone + " ended by themselves meanwhile" : ""));
        out().flush();
        return 0;
    }

    private void list(List<Upload> uploads) {
        if (uploads.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BUCKET", "KEY", "UPLOAD ID", "AGE", "PARTS", "BYTES"});
        for (Upload x : uploads) {
            rows.add(new String[] {x.bucket(), x.key(), x.uploadId(), Human.age(x.ageSeconds()),
                Integer.toString(x.parts()), Human.bytes(x.bytes())});
        }
        TextTable.print(out(), rows, 3, 5);
    }
}
