package io.tessera.engine;

/** CopyObject: the object written and the version id of the source read (null: unversioned source). */
public record CopyResult(ObjectInfo object, String sourceVersionId) {
}
