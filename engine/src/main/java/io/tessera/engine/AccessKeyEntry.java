package io.tessera.engine;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One access key as the replicated state holds it: its id, its document (secret, name, owner...: the
 * front end's format, stored as given) and its grants, permission bits by bucket name (the bits' meaning
 * is the front end's too; 0 is no grant and never listed). Immutable.
 *
 * @param accessKeyId the key's id
 * @param document    the front end's encoding of the key
 * @param grants      permission bits by bucket name, none of them 0
 */
public record AccessKeyEntry(String accessKeyId, byte[] document, SortedMap<String, Integer> grants) {

    /** Checks the components, copies the document and freezes the grants without the zero ones. */
    public AccessKeyEntry {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        if (accessKeyId.isEmpty() || accessKeyId.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an access key id is not empty and holds no NUL");
        }
        document = document.clone();
        TreeMap<String, Integer> copy = new TreeMap<>();
        for (Map.Entry<String, Integer> g : grants.entrySet()) {
            int bits = g.getValue();
            if (bits < 0 || bits > 0xFF) {
                throw new IllegalArgumentException("permission bits are one byte, not " + bits);
            }
            if (bits != 0) {
                copy.put(Objects.requireNonNull(g.getKey()), bits);
            }
        }
        grants = Collections.unmodifiableSortedMap(copy);
    }

    /** A key with no grants. */
    public static AccessKeyEntry of(String accessKeyId, byte[] document) {
        return new AccessKeyEntry(accessKeyId, document, new TreeMap<>());
    }

    @Override
    public byte[] document() {
        return document.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessKeyEntry e && e.accessKeyId.equals(accessKeyId)
                && Arrays.equals(e.document, document) && e.grants.equals(grants);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accessKeyId, Arrays.hashCode(document), grants);
    }

    /** Never prints the document: it holds a secret. */
    @Override
    public String toString() {
        return "AccessKeyEntry[" + accessKeyId + ", " + document.length + " bytes, grants=" + grants + "]";
    }
}
