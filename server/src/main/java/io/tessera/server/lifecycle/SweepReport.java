package io.tessera.server.lifecycle;

/**
 * What lifecycle sweeps did. Immutable.
 *
 * @param buckets buckets swept
 * @param abortedUploads uploads aborted because a rule's DaysAfterInitiation had passed
 * @param expiredObjects objects deleted because a rule's Expiration had come
 */
public record SweepReport(int buckets, int abortedUploads, int expiredObjects) {
    public static final SweepReport NONE = new SweepReport(0, 0, 0);

    public SweepReport plus(SweepReport o) {
        return new SweepReport(buckets + o.buckets, abortedUploads + o.abortedUploads,
                expiredObjects + o.expiredObjects);
    }
}
