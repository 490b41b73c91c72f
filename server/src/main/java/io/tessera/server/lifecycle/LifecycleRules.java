package io.tessera.server.lifecycle;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.xml.LifecycleConfiguration;
import io.tessera.server.xml.S3Xml;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A bucket's lifecycle configuration, validated as S3 validates PutBucketLifecycleConfiguration, and the
 * questions asked of it: when is an upload due for abort, when does an object expire, which key ranges must
 * a sweep look at. Where several enabled rules cover a key, the earliest deadline wins (S3 resolves
 * conflicting expirations in favour of the shorter one). Immutable and thread-safe.
 */
public final class LifecycleRules {
    /** Most rules one configuration may have. */
    public static final int MAX_RULES = 1000;
    /** Longest rule ID. */
    public static final int MAX_ID_LENGTH = 255;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final LifecycleConfiguration document;
    private final List<LifecycleRule> rules;

    private LifecycleRules(LifecycleConfiguration document, List<LifecycleRule> rules) {
        this.document = document;
        this.rules = List.copyOf(rules);
    }

    /**
     * Validates a configuration sent by a client and gives every rule without an ID a new one, as S3 does.
     *
     * @throws S3Exception {@code InvalidArgument} for more than {@value #MAX_RULES} rules, an ID longer than
     *     {@value #MAX_ID_LENGTH} characters or used twice, days that are not positive or a date that is not
     *     midnight UTC; {@code InvalidRequest} for a rule without any action
     */
    public static LifecycleRules validate(LifecycleConfiguration doc) {
        return validate(doc, LifecycleRules::newId);
    }

    /** {@link #validate(LifecycleConfiguration)} with the given source of new rule IDs. */
    public static LifecycleRules validate(LifecycleConfiguration doc, Supplier<String> newId) {
        if (doc.rules().size() > MAX_RULES) {
            throw invalid("Rule", Integer.toString(doc.rules().size()),
                    "Rules Number should not exceed allowed limit of " + MAX_RULES + ".");
        }
        Set<String> ids = new HashSet<>();
        for (LifecycleConfiguration.Rule r : doc.rules()) {
            check(r);
            if (r.id() == null) {
                continue;
            }
            if (r.id().length() > MAX_ID_LENGTH) {
                throw invalid("ID", r.id(), "ID length should not exceed allowed limit of " + MAX_ID_LENGTH + ".");
            }
            if (!ids.add(r.id())) {
                throw invalid("ID", r.id(), "Rule ID must be unique. Found same ID for more than one rule.");
            }
        }
        List<LifecycleConfiguration.Rule> named = new ArrayList<>(doc.rules().size());
        for (LifecycleConfiguration.Rule r : doc.rules()) {
            if (r.id() == null) {
                String id = newId.get();
                while (!ids.add(id)) {
                    id = newId.get();
                }
                r = new LifecycleConfiguration.Rule(id, r.prefix(), r.filter(), r.status(), r.expiration(),
                        r.abortDaysAfterInitiation());
            }
            named.add(r);
        }
        return of(new LifecycleConfiguration(named));
    }

    /** The rules of a stored document (one that {@link #validate} accepted and {@link #toBytes} wrote). */
    public static LifecycleRules fromStored(byte[] stored) {
        return of(S3Xml.parseLifecycleConfiguration(stored));
    }

    private static LifecycleRules of(LifecycleConfiguration doc) {
        List<LifecycleRule> rules = new ArrayList<>(doc.rules().size());
        for (LifecycleConfiguration.Rule r : doc.rules()) {
            LifecycleConfiguration.Expiration e = r.expiration();
            rules.add(new LifecycleRule(r.id() == null ? "" : r.id(), r.scope(), r.status().equals("Enabled"),
                    e == null ? null : e.days(), e == null ? null : e.date(), r.abortDaysAfterInitiation()));
        }
        return new LifecycleRules(doc, rules);
    }

    private static void check(LifecycleConfiguration.Rule r) {
        if (r.expiration() == null && r.abortDaysAfterInitiation() == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "At least one action needs to be specified in a rule.");
        }
        LifecycleConfiguration.Expiration e = r.expiration();
        if (e != null && e.days() != null && e.days() <= 0) {
            throw invalid("Days", e.days().toString(), "'Days' for Expiration action must be a positive integer");
        }
        if (e != null && e.date() != null && !isMidnightUtc(e.date())) {
            throw invalid("Date", e.date().toString(), "'Date' must be at midnight GMT");
        }
        if (r.abortDaysAfterInitiation() != null && r.abortDaysAfterInitiation() <= 0) {
            throw invalid("DaysAfterInitiation", r.abortDaysAfterInitiation().toString(),
                    "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
        }
    }

    private static boolean isMidnightUtc(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalTime().toNanoOfDay() == 0;
    }

    private static S3Exception invalid(String name, String value, String message) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message)
                .with("ArgumentName", name).with("ArgumentValue", value);
    }

    /** A rule ID for a rule sent without one: 48 characters, like the ones S3 makes up. */
    private static String newId() {
        UUID u = new UUID(RANDOM.nextLong(), RANDOM.nextLong());
        return Base64.getEncoder().withoutPadding().encodeToString(u.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The configuration as Get answers it (every rule with its ID). */
    public LifecycleConfiguration document() {
        return document;
    }

    /** The document's bytes, as stored and as GetBucketLifecycleConfiguration answers them. */
    public byte[] toBytes() {
        return S3Xml.toBytes(document);
    }

    /** Every rule, enabled or not, in document order. */
    public List<LifecycleRule> rules() {
        return rules;
    }

    /** When an upload of {@code key} initiated at {@code initiated} becomes due for abort; null if never. */
    public Deadline abortDeadline(String key, Instant initiated) {
        Deadline first = null;
        for (LifecycleRule r : rules) {
            if (r.abortsUploads() && r.appliesTo(key)) {
                first = earlier(first, r.abortAt(initiated), r.id());
            }
        }
        return first;
    }

    /** When an object {@code key} last modified at {@code lastModified} expires; null if never. */
    public Deadline expiryDeadline(String key, Instant lastModified) {
        Deadline first = null;
        for (LifecycleRule r : rules) {
            if (r.expiresObjects() && r.appliesTo(key)) {
                first = earlier(first, r.expiresAt(lastModified), r.id());
            }
        }
        return first;
    }

    private static Deadline earlier(Deadline current, Instant at, String ruleId) {
        return current == null || at.isBefore(current.at()) ? new Deadline(at, ruleId) : current;
    }

    /**
     * The key prefixes a sweep must list to visit every key of the enabled rules that {@code wanted} selects,
     * each key once: a prefix that another selected prefix starts is left out. Empty when no rule is selected;
     * {@code [""]} when one covers every key.
     */
    public List<String> scanPrefixes(Predicate<LifecycleRule> wanted) {
        List<String> prefixes = new ArrayList<>();
        for (LifecycleRule r : rules) {
            if (r.enabled() && wanted.test(r)) {
                prefixes.add(r.prefix());
            }
        }
        prefixes.sort(null);
        List<String> out = new ArrayList<>();
        for (String p : prefixes) {
            if (out.isEmpty() || !p.startsWith(out.get(out.size() - 1))) {
                out.add(p);
            }
        }
        return out;
    }
}
