package io.tessera.server.handler;

import io.tessera.engine.ObjectMetadata;
import java.util.Map;
import java.util.TreeMap;

/**
 * The entries of an object's metadata that the front end keeps for itself: its tags and its canned ACL.
 * Their names contain a {@code :}, which no HTTP header name can, so no request header is ever stored
 * under them and none of them is ever sent back as a header. Stateless.
 */
final class ReservedMetadata {
    /** The object's tags, in the {@code x-amz-tagging} form ({@link Tags#encode()}); absent when none. */
    static final String TAGGING = "tessera:tagging";
    /** The object's canned ACL ({@link CannedAcl#value()}); absent when private. */
    static final String ACL = "tessera:acl";

    private ReservedMetadata() {
    }

    static boolean isReserved(String name) {
        return name.indexOf(':') >= 0;
    }

    /** {@code m} with {@code name} set to {@code value}, or removed when {@code value} is null. */
    static ObjectMetadata with(ObjectMetadata m, String name, String value) {
        Map<String, String> entries = new TreeMap<>(m.entries());
        if (value == null) {
            entries.remove(name);
        } else {
            entries.put(name, value);
        }
        return new ObjectMetadata(entries);
    }

    /** {@code m} without its reserved entries (what a copy with {@code REPLACE} directives starts from). */
    static ObjectMetadata without(ObjectMetadata m) {
        Map<String, String> entries = new TreeMap<>(m.entries());
        entries.keySet().removeIf(ReservedMetadata::isReserved);
        return new ObjectMetadata(entries);
    }
}
