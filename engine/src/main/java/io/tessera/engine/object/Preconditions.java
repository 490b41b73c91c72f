package io.tessera.engine.object;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.Precondition;
import io.tessera.engine.meta.ObjectRecord;

/**
 * Evaluates a {@link Precondition} against a key's current row. Callers hold the key's lock and read
 * {@code current} under it, and stage their change in the batch they commit before letting go: the
 * check and the change are one step for every other writer of the key. Stateless.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /**
     * A write (PutObject, CopyObject, CompleteMultipartUpload).
     *
     * @param current        the key's row now, or null
     * @param heldAtStart    whether the key held an object when the write began (its body started
     *                       streaming, or its upload was created)
     */
    public static void checkWrite(Precondition p, ObjectRecord current, boolean heldAtStart, String key) {
        if (p == null || p.isNone()) {
            return;
        }
        checkIfMatch(p, current, key);
        if (p.ifNoneMatch() != null) {
            if (p.requiresAbsence()) {
                if (current != null) {
                    throw failed("object " + key + " already exists");
                }
                if (heldAtStart) {
                    throw new EngineException(ErrorCode.CONDITIONAL_REQUEST_CONFLICT,
                            "object " + key + " was deleted while the conditional write was under way");
                }
            } else if (current != null && Etags.matches(current.etag(), p.ifNoneMatch())) {
                throw failed("object " + key + " has the ETag named in If-None-Match");
            }
        }
        checkAttributes(p, current, key);
    }

    /**
     * A delete: If-Match needs an object; the last-modified and size conditions only bind an object
     * that exists (deleting nothing needs no permission from them).
     */
    public static void checkDelete(Precondition p, ObjectRecord current, String key) {
        if (p == null || p.isNone()) {
            return;
        }
        checkIfMatch(p, current, key);
        if (p.ifNoneMatch() != null) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT, "a delete takes no If-None-Match condition");
        }
        checkAttributes(p, current, key);
    }

    private static void checkIfMatch(Precondition p, ObjectRecord current, String key) {
        if (p.ifMatch() == null) {
            return;
        }
        if (current == null) {
            throw new EngineException(ErrorCode.NO_SUCH_KEY, "object " + key + " does not exist");
        }
        if (!p.ifMatch().trim().equals("*") && !Etags.matches(current.etag(), p.ifMatch())) {
            throw failed("object " + key + " has another ETag");
        }
    }

    /** Last-modified compares to the second: conditions arrive as HTTP dates, which carry no finer time. */
    private static void checkAttributes(Precondition p, ObjectRecord current, String key) {
        if (current == null) {
            return;
        }
        if (p.ifMatchLastModified() != null
                && Math.floorDiv(current.lastModifiedMillis(), 1000L) != p.ifMatchLastModified().getEpochSecond()) {
            throw failed("object " + key + " was last modified at another time");
        }
        if (p.ifMatchSize() >= 0 && current.size() != p.ifMatchSize()) {
            throw failed("object " + key + " has another size");
        }
    }

    private static EngineException failed(String why) {
        return new EngineException(ErrorCode.PRECONDITION_FAILED, why);
    }
}
