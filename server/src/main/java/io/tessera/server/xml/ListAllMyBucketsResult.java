package io.tessera.server.xml;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * ListBuckets response:
 * {@code <ListAllMyBucketsResult><Owner/><Buckets><Bucket>...</Bucket></Buckets><ContinuationToken/><Prefix/>}.
 * {@code Buckets} is wrapped (always written, possibly empty).
 *
 * @param owner the owner, or null to leave {@code <Owner>} out
 * @param buckets the buckets of this page
 * @param continuationToken token for the next page, or null
 * @param prefix the prefix filter echoed back, or null
 */
public record ListAllMyBucketsResult(Owner owner, List<Bucket> buckets, String continuationToken, String prefix)
        implements S3XmlDocument {
    public ListAllMyBucketsResult {
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }

    @Override
    public String rootElement() {
        return "ListAllMyBucketsResult";
    }

    /**
     * One {@code <Bucket>}: {@code Name}, {@code CreationDate}, optional {@code BucketRegion}.
     *
     * @param name bucket name
     * @param creationDate creation time
     * @param bucketRegion region, or null
     */
    public record Bucket(String name, Instant creationDate, String bucketRegion) {
        public Bucket {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(creationDate, "creationDate");
        }
    }
}
