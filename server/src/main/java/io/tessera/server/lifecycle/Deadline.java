package io.tessera.server.lifecycle;

import java.time.Instant;

/**
 * When a lifecycle action becomes due for one object or upload, and the rule that sets it. Immutable.
 *
 * @param at the instant from which the action is due
 * @param ruleId the ID of the rule (the earliest one when several apply)
 */
public record Deadline(Instant at, String ruleId) {
    /** True when the action is due at {@code now}. */
    public boolean isDue(Instant now) {
        return !now.isBefore(at);
    }
}
