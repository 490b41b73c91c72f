package io.tessera.engine;

/**
 * ListObjectVersions: {@code keyMarker} alone starts after every version of that key;
 * with {@code versionIdMarker} it starts after that version. Null strings mean absent.
 */
public record ListVersionsQuery(String prefix, String delimiter, String keyMarker, String versionIdMarker,
                                int maxKeys) {
}
