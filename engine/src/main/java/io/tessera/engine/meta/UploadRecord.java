package io.tessera.engine.meta;

import io.tessera.engine.ObjectChecksum;
import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.ChecksumType;
import java.util.Map;

/**
 * An upload row. While ACTIVE it carries what the final object will be; once COMPLETED or ABORTED it
 * is a tombstone that refuses late parts, and a COMPLETED one remembers its result so that a
 * repeated identical Complete answers the same.
 *
 * @param completedParts fingerprint of the part list that completed the upload (null otherwise)
 * @param keyHeldObject  whether the key held an object when the upload was created: a Complete with
 *                       {@code If-None-Match: *} that finds the key empty tells from it that a delete
 *                       conflicted with the upload (rows written before this field read as false)
 * @param completedVersionId the version id the Complete answered with (null when it answered none, and in
 *                       rows written before this field), so that a repeated Complete answers it too
 */
public record UploadRecord(UploadState state, long bucketId, String key, long initiatedMillis, String owner,
                           Map<String, String> metadata, ChecksumAlgorithm checksumAlgorithm,
                           ChecksumType checksumType, long finishedMillis, byte[] completedParts,
                           String completedEtag, ObjectChecksum completedChecksum, long completedSize,
                           boolean keyHeldObject, String completedVersionId) {
    private static final int VERSION = 1;

    public static UploadRecord active(long bucketId, String key, long initiatedMillis, String owner,
                                      Map<String, String> metadata, ChecksumAlgorithm algorithm, ChecksumType type,
                                      boolean keyHeldObject) {
        return new UploadRecord(UploadState.ACTIVE, bucketId, key, initiatedMillis, owner, metadata, algorithm, type,
                0, null, null, null, 0, keyHeldObject, null);
    }

    /** This row, saying whether the key held an object when the upload was created. */
    public UploadRecord withKeyHeldObject(boolean held) {
        return new UploadRecord(state, bucketId, key, initiatedMillis, owner, metadata, checksumAlgorithm, checksumType,
                finishedMillis, completedParts, completedEtag, completedChecksum, completedSize, held,
                completedVersionId);
    }

    public UploadRecord aborted(long whenMillis) {
        return new UploadRecord(UploadState.ABORTED, bucketId, key, initiatedMillis, owner, Map.of(), checksumAlgorithm,
                checksumType, whenMillis, null, null, null, 0, keyHeldObject, null);
    }

    public UploadRecord completed(long whenMillis, byte[] partsFingerprint, String etag, ObjectChecksum checksum,
                                  long size, String versionId) {
        return new UploadRecord(UploadState.COMPLETED, bucketId, key, initiatedMillis, owner, Map.of(),
                checksumAlgorithm, checksumType, whenMillis, partsFingerprint, etag, checksum, size, keyHeldObject,
                versionId);
    }

    public byte[] encode() {
        ValueWriter w = new ValueWriter(VERSION).putByte(state.ordinal()).putLong(bucketId).putString(key)
                .putLong(initiatedMillis).putString(owner).putStringMap(metadata)
                .putString(checksumAlgorithm == null ? null : checksumAlgorithm.name())
                .putString(checksumType == null ? null : checksumType.name())
                .putLong(finishedMillis).putBytes(completedParts).putString(completedEtag);
        ChecksumCodec.put(w, completedChecksum);
        return w.putLong(completedSize).putBoolean(keyHeldObject).putString(completedVersionId).toByteArray();
    }

    public static UploadRecord decode(byte[] v) {
        ValueReader r = new ValueReader(v, VERSION);
        UploadState state = UploadState.values()[r.getByte()];
        long bucketId = r.getLong();
        String key = r.getString();
        long initiated = r.getLong();
        String owner = r.getString();
        Map<String, String> metadata = r.getStringMap();
        String alg = r.getString();
        String type = r.getString();
        long finished = r.getLong();
        byte[] parts = r.getBytes();
        String etag = r.getString();
        ObjectChecksum checksum = ChecksumCodec.getObject(r);
        long size = r.getLong();
        boolean keyHeldObject = r.hasMore() && r.getBoolean();
        String versionId = r.hasMore() ? r.getString() : null;
        return new UploadRecord(state, bucketId, key, initiated, owner, metadata,
                alg == null ? null : ChecksumAlgorithm.valueOf(alg), type == null ? null : ChecksumType.valueOf(type),
                finished, parts, etag, checksum, size, keyHeldObject, versionId);
    }
}
