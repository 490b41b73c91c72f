package io.tessera.engine.meta;

import io.tessera.engine.ChecksumValue;
import io.tessera.engine.ObjectChecksum;
import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.ChecksumType;

/** Nullable checksum fields inside stored values. */
public final class ChecksumCodec {
    private ChecksumCodec() {
    }

    public static void put(ValueWriter w, ChecksumValue c) {
        w.putString(c == null ? null : c.algorithm().name());
        if (c != null) {
            w.putString(c.base64());
        }
    }

    public static ChecksumValue get(ValueReader r) {
        String alg = r.getString();
        return alg == null ? null : new ChecksumValue(ChecksumAlgorithm.valueOf(alg), r.getString());
    }

    public static void put(ValueWriter w, ObjectChecksum c) {
        w.putString(c == null ? null : c.algorithm().name());
        if (c != null) {
            w.putString(c.type().name()).putString(c.base64()).putInt(c.partsCount());
        }
    }

    public static ObjectChecksum getObject(ValueReader r) {
        String alg = r.getString();
        if (alg == null) {
            return null;
        }
        return new ObjectChecksum(ChecksumAlgorithm.valueOf(alg), ChecksumType.valueOf(r.getString()), r.getString(),
                r.getInt());
    }
}
