package io.tessera.server.xml;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * PutBucketLifecycleConfiguration request body and GetBucketLifecycleConfiguration response, root
 * {@code <LifecycleConfiguration>} with flattened {@code <Rule>} elements. Only what Tessera applies is
 * modelled: a key-prefix scope (the {@code <Filter>} form or the legacy rule-level {@code <Prefix>}), the
 * status, the ID, {@code <Expiration>} by {@code Days} or {@code Date}, and
 * {@code <AbortIncompleteMultipartUpload>}. The parser answers {@code NotImplemented} for the lifecycle
 * elements it knows S3 has but Tessera does not apply (transitions, noncurrent versions, tag and size filters,
 * delete-marker expiry), so that no configuration is stored that would silently not do what it says.
 *
 * <p>The parser checks shape only ({@code MalformedXML}); values (positive days, midnight dates, unique IDs,
 * how many rules) are the caller's to check.
 *
 * @param rules the rules in document order
 */
public record LifecycleConfiguration(List<Rule> rules) implements S3XmlDocument {
    public LifecycleConfiguration {
        rules = List.copyOf(rules);
    }

    @Override
    public String rootElement() {
        return "LifecycleConfiguration";
    }

    /**
     * One {@code <Rule>}. Exactly one of {@code prefix} and {@code filter} is set in a valid rule; the parser
     * keeps whichever the client sent so that Get answers in the same form.
     *
     * @param id the rule's ID, or null when absent or empty
     * @param prefix the legacy rule-level {@code <Prefix>} (possibly empty), or null when absent
     * @param filter the {@code <Filter>}, or null when absent
     * @param status {@code Enabled} or {@code Disabled} as sent (checked by the parser)
     * @param expiration the {@code <Expiration>} action, or null
     * @param abortDaysAfterInitiation {@code <AbortIncompleteMultipartUpload><DaysAfterInitiation>}, or null
     */
    public record Rule(String id, String prefix, Filter filter, String status, Expiration expiration,
                       Integer abortDaysAfterInitiation) {
        public Rule {
            Objects.requireNonNull(status, "status");
        }

        /** The key prefix the rule applies to, from either form; empty for all keys. */
        public String scope() {
            if (prefix != null) {
                return prefix;
            }
            return filter == null || filter.prefix() == null ? "" : filter.prefix();
        }
    }

    /**
     * A {@code <Filter>}: {@code <Filter><Prefix>p</Prefix></Filter>}, or an empty {@code <Filter/>} for all
     * keys.
     *
     * @param prefix the prefix (possibly empty), or null for an empty filter
     */
    public record Filter(String prefix) {
    }

    /**
     * An {@code <Expiration>} with exactly one of {@code Days} and {@code Date} (checked by the parser).
     *
     * @param days days after an object's last modification, or null
     * @param date the instant from which matching objects expire, or null
     */
    public record Expiration(Integer days, Instant date) {
    }
}
