package io.tessera.server.lifecycle;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One validated lifecycle rule: the keys it covers (a prefix), whether it is enabled, and its actions.
 * S3 counts days from an object's last modification (or an upload's initiation) and rounds the result up to
 * the next midnight UTC: an object written 2026-01-15T10:30Z under a 3-day rule expires 2026-01-19T00:00Z.
 * Immutable.
 *
 * @param id the rule's ID (never null once validated)
 * @param prefix the key prefix the rule covers; empty for every key
 * @param enabled whether the rule is applied ({@code Status} Enabled)
 * @param expirationDays objects expire this many days after their last modification, or null
 * @param expirationDate objects expire from this midnight UTC on, or null
 * @param abortDays uploads are aborted this many days after their initiation, or null
 */
public record LifecycleRule(String id, String prefix, boolean enabled, Integer expirationDays,
                            Instant expirationDate, Integer abortDays) {
    public LifecycleRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prefix, "prefix");
    }

    /** True when the rule is enabled and covers {@code key}. */
    public boolean appliesTo(String key) {
        return enabled && key.startsWith(prefix);
    }

    /** True when the rule deletes objects. */
    public boolean expiresObjects() {
        return expirationDays != null || expirationDate != null;
    }

    /** True when the rule aborts incomplete multipart uploads. */
    public boolean abortsUploads() {
        return abortDays != null;
    }

    /** When an object last modified at {@code lastModified} expires under this rule; null if it never does. */
    public Instant expiresAt(Instant lastModified) {
        if (expirationDate != null) {
            return expirationDate;
        }
        return expirationDays == null ? null : afterDays(lastModified, expirationDays);
    }

    /** When an upload initiated at {@code initiated} becomes eligible for abort; null if never. */
    public Instant abortAt(Instant initiated) {
        return abortDays == null ? null : afterDays(initiated, abortDays);
    }

    /** {@code t} plus {@code days}, rounded up to the next midnight UTC (as S3 rounds). */
    public static Instant afterDays(Instant t, int days) {
        LocalDate day = t.atZone(ZoneOffset.UTC).toLocalDate().plusDays(days + 1L);
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
