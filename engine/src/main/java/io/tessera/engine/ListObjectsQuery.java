package io.tessera.engine;

/**
 * Parameters of an object listing. {@code after} is exclusive: it is V1's marker, V2's start-after or
 * the key decoded from a continuation token. Null strings mean "not given".
 */
public record ListObjectsQuery(String prefix, String delimiter, String after, int maxKeys) {
    public static ListObjectsQuery all() {
        return new ListObjectsQuery(null, null, null, 1000);
    }
}
