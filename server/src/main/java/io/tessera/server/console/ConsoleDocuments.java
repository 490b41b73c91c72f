package io.tessera.server.console;

import io.tessera.server.admin.AdminReports;
import java.util.List;

/**
 * The JSON documents of the console's API, read by its page. Times are ISO-8601 instants (sample times
 * epoch milliseconds, for the charts), sizes bytes. Immutable records.
 */
final class ConsoleDocuments {
    private ConsoleDocuments() {
    }

    /**
     * Who the browser is signed in as, or not.
     *
     * @param csrf          the token the page sends in {@value ConsoleApi#CSRF_HEADER} on every request that
     *                      changes something
     * @param partSize      the part size of the page's multipart uploads
     * @param sampleSeconds how often the node samples its space
     * @param serverTime    the node's clock, so that a page whose clock is off can still sign in
     */
    record SessionInfo(boolean signedIn, String accessKeyId, String csrf, String region, long partSize,
                       double sampleSeconds, String serverTime) {
    }

    /** A bucket and what it holds. */
    record Bucket(String name, String created, long objects, long objectBytes, long uploads, long uploadBytes) {
    }

    /** One object of a listing. */
    record ObjectRow(String key, long size, String etag, String lastModified, int parts) {
    }

    /**
     * One page of a bucket's listing under a prefix, folded at {@code /}.
     *
     * @param next where the next page starts ({@code after}), or null on the last page
     */
    record ObjectPage(String bucket, String prefix, List<String> prefixes, List<ObjectRow> objects, boolean truncated,
                      String next) {
    }

    /** A multipart upload the page started. */
    record Started(String bucket, String key, String uploadId, long partSize) {
    }

    /** A part or a single-request object written. */
    record Written(String key, long size, String etag) {
    }

    /**
     * Incomplete uploads: how many and their bytes (exact), and the first of them.
     *
     * @param truncated whether more uploads exist than are listed
     */
    record UploadsPage(long count, long bytes, List<AdminReports.Upload> uploads, boolean truncated) {
    }

    /** An upload aborted: what it held. */
    record Aborted(String bucket, String key, String uploadId, int parts, long bytes) {
    }

    /** The samples after the one the page has, and how they are taken. */
    record History(double intervalSeconds, int capacity, List<SpaceSample> samples) {
    }

    /** A refused or failed request. */
    record Failure(String error, String message) {
    }
}
