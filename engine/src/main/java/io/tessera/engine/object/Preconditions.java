package io.tessera.engine.object;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.Precondition;
import io.tessera.engine.internal.Etags;
import io.tessera.engine.meta.ObjectRecord;

/** Conditional writes, evaluated against the current row while the key's lock is held. */
public final class Preconditions {
    private Preconditions() {
    }

    public static void check(Precondition p, ObjectRecord current, String key) {
        if (p == null) {
            return;
        }
        if (p.ifNoneMatchAny() && current != null) {
            throw new EngineException(ErrorCode.PRECONDITION_FAILED, "object " + key + " already exists");
        }
        if (p.ifMatchEtag() != null) {
            if (current == null) {
                throw new EngineException(ErrorCode.NO_SUCH_KEY, "object " + key + " does not exist");
            }
            if (!"*".equals(p.ifMatchEtag().trim()) && !Etags.matches(current.etag(), p.ifMatchEtag())) {
                throw new EngineException(ErrorCode.PRECONDITION_FAILED, "object " + key + " has another ETag");
            }
        }
    }
}
