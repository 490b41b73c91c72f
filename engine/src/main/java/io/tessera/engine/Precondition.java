package io.tessera.engine;

import java.time.Instant;

/**
 * Conditions on a key's current object, evaluated under the key's lock in the same step as the write
 * or delete they guard, so no other change to the key can land between the check and the change.
 *
 * <ul>
 *   <li>{@code ifMatch}: an ETag or {@code *}; the key must hold an object (NO_SUCH_KEY otherwise) whose
 *       ETag matches (PRECONDITION_FAILED otherwise).</li>
 *   <li>{@code ifNoneMatch}: {@code *} (the key must be empty) or an ETag (the current object must not
 *       have it); PRECONDITION_FAILED otherwise. A write with {@code *} whose key held an object when the
 *       write began, and lost it to a delete before the write committed, fails with
 *       CONDITIONAL_REQUEST_CONFLICT instead: S3's answer for a conflicting operation during the upload.</li>
 *   <li>{@code ifMatchLastModified}, {@code ifMatchSize} (deletes): if the key holds an object, it must
 *       have been last modified in that second and have that size; PRECONDITION_FAILED otherwise.</li>
 * </ul>
 * ETags match with or without their quotes. Null (and -1 for the size) means no such condition.
 */
public record Precondition(String ifMatch, String ifNoneMatch, Instant ifMatchLastModified, long ifMatchSize) {
    public static final Precondition NONE = new Precondition(null, null, null, -1);

    /** {@code If-None-Match: *}: only if the key holds no object. */
    public static Precondition ifAbsent() {
        return new Precondition(null, "*", null, -1);
    }

    /** {@code If-Match}: only if the key holds an object with this ETag ({@code *}: any object). */
    public static Precondition ifMatch(String etag) {
        return new Precondition(etag, null, null, -1);
    }

    /** {@code If-None-Match}: only if the key's object does not have this ETag ({@code *}: holds no object). */
    public static Precondition ifNoneMatch(String etag) {
        return new Precondition(null, etag, null, -1);
    }

    public Precondition withIfMatch(String etag) {
        return new Precondition(etag, ifNoneMatch, ifMatchLastModified, ifMatchSize);
    }

    public Precondition withIfNoneMatch(String etag) {
        return new Precondition(ifMatch, etag, ifMatchLastModified, ifMatchSize);
    }

    public Precondition withLastModified(Instant lastModified) {
        return new Precondition(ifMatch, ifNoneMatch, lastModified, ifMatchSize);
    }

    public Precondition withSize(long size) {
        return new Precondition(ifMatch, ifNoneMatch, ifMatchLastModified, size);
    }

    /** Whether there is no condition at all. */
    public boolean isNone() {
        return ifMatch == null && ifNoneMatch == null && ifMatchLastModified == null && ifMatchSize < 0;
    }

    /** Whether the write must be refused if a delete empties the key while it is under way ({@code If-None-Match: *}). */
    public boolean requiresAbsence() {
        return ifNoneMatch != null && ifNoneMatch.trim().equals("*");
    }
}
