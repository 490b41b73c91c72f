package io.tessera.engine.command;

import io.tessera.engine.AccessKeyEntry;
import io.tessera.engine.ChecksumType;
import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.Precondition;
import io.tessera.engine.VersioningState;
import io.tessera.engine.meta.ChecksumCodec;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.meta.PartRecord;
import io.tessera.engine.meta.UploadRecord;
import io.tessera.engine.meta.ValueReader;
import io.tessera.engine.meta.ValueWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The bytes of a command as the log holds them: a format version, a tag naming the command, then its
 * fields in declaration order (rows as their stored encodings). Tags are never reused; a new field goes
 * at the end of its command, read only when present.
 *
 * <p>Thread-safe (stateless).
 */
public final class CommandCodec {
    private static final int VERSION = 1;

    private static final int CREATE_BUCKET = 1;
    private static final int DELETE_BUCKET = 2;
    private static final int SET_BUCKET_CONFIG = 3;
    private static final int SET_VERSIONING = 4;
    private static final int PUT_OBJECT = 5;
    private static final int DELETE_OBJECT = 6;
    private static final int DELETE_VERSION = 7;
    private static final int SET_METADATA_ENTRY = 8;
    private static final int CREATE_UPLOAD = 9;
    private static final int COMMIT_PART = 10;
    private static final int COMPLETE_UPLOAD = 11;
    private static final int ABORT_UPLOAD = 12;
    private static final int RECLAIM_UPLOAD = 13;
    private static final int PURGE_TOMBSTONES = 14;
    private static final int PUT_ACCESS_KEYS = 15;
    private static final int DELETE_ACCESS_KEY = 16;
    private static final int CHANGE_GRANTS = 17;
    /** By tag: the simple name of the command's record. */
    private static final String[] NAMES = {null, "CreateBucket", "DeleteBucket", "SetBucketConfig", "SetVersioning",
        "PutObject", "DeleteObject", "DeleteVersion", "SetMetadataEntry", "CreateUpload", "CommitPart",
        "CompleteUpload", "AbortUpload", "ReclaimUpload", "PurgeTombstones", "PutAccessKeys", "DeleteAccessKey",
        "ChangeGrants"};

    private CommandCodec() {
    }

    public static byte[] encode(Command<?> command) {
        ValueWriter w = new ValueWriter(VERSION);
        if (command instanceof Command.CreateBucket c) {
            w.putByte(CREATE_BUCKET).putLong(c.bucketId()).putString(c.name()).putString(c.owner())
                    .putLong(c.nowMillis()).putString(c.grantee()).putByte(c.granteeBits());
        } else if (command instanceof Command.DeleteBucket c) {
            w.putByte(DELETE_BUCKET).putString(c.name());
        } else if (command instanceof Command.SetBucketConfig c) {
            w.putByte(SET_BUCKET_CONFIG).putString(c.bucket()).putString(c.name()).putBytes(c.document());
        } else if (command instanceof Command.SetVersioning c) {
            w.putByte(SET_VERSIONING).putString(c.bucket()).putByte(c.state().ordinal());
        } else if (command instanceof Command.PutObject c) {
            w.putByte(PUT_OBJECT).putString(c.bucket()).putLong(c.bucketId()).putString(c.key())
                    .putBytes(c.row().encode());
            putPrecondition(w, c.precondition());
            w.putBoolean(c.heldAtStart()).putString(c.versionSuffix());
        } else if (command instanceof Command.DeleteObject c) {
            w.putByte(DELETE_OBJECT).putString(c.bucket()).putLong(c.bucketId()).putString(c.key());
            putPrecondition(w, c.precondition());
            w.putLong(c.nowMillis()).putString(c.versionSuffix());
        } else if (command instanceof Command.DeleteVersion c) {
            w.putByte(DELETE_VERSION).putString(c.bucket()).putLong(c.bucketId()).putString(c.key())
                    .putString(c.versionId());
        } else if (command instanceof Command.SetMetadataEntry c) {
            w.putByte(SET_METADATA_ENTRY).putString(c.bucket()).putLong(c.bucketId()).putString(c.key())
                    .putString(c.name()).putString(c.value());
        } else if (command instanceof Command.CreateUpload c) {
            w.putByte(CREATE_UPLOAD).putString(c.bucket()).putLong(c.bucketId()).putBytes(c.uploadId())
                    .putBytes(c.row().encode());
        } else if (command instanceof Command.CommitPart c) {
            w.putByte(COMMIT_PART).putString(c.bucket()).putLong(c.bucketId()).putString(c.key())
                    .putBytes(c.uploadId()).putInt(c.partNumber()).putBytes(c.part().encode());
        } else if (command instanceof Command.CompleteUpload c) {
            w.putByte(COMPLETE_UPLOAD).putString(c.bucket()).putLong(c.bucketId()).putString(c.key())
                    .putBytes(c.uploadId()).putInt(c.parts().size());
            for (CompletedPart p : c.parts()) {
                w.putInt(p.partNumber()).putString(p.etag());
                ChecksumCodec.put(w, p.checksum());
            }
            putPrecondition(w, c.options().precondition());
            ChecksumCodec.put(w, c.options().expectedChecksum());
            w.putLong(c.options().expectedSize())
                    .putString(c.options().expectedType() == null ? null : c.options().expectedType().name())
                    .putLong(c.nowMillis()).putString(c.versionSuffix()).putLong(c.minPartSize());
        } else if (command instanceof Command.AbortUpload c) {
            w.putByte(ABORT_UPLOAD).putString(c.bucket()).putLong(c.bucketId()).putString(c.key())
                    .putBytes(c.uploadId());
            putInstant(w, c.ifInitiatedAt());
            w.putLong(c.nowMillis());
        } else if (command instanceof Command.ReclaimUpload c) {
            w.putByte(RECLAIM_UPLOAD).putBytes(c.uploadId());
        } else if (command instanceof Command.PurgeTombstones c) {
            w.putByte(PURGE_TOMBSTONES).putLong(c.cutoffMillis()).putInt(c.limit());
        } else if (command instanceof Command.PutAccessKeys c) {
            w.putByte(PUT_ACCESS_KEYS).putInt(c.keys().size());
            for (AccessKeyEntry k : c.keys()) {
                w.putString(k.accessKeyId()).putBytes(k.document()).putInt(k.grants().size());
                k.grants().forEach((bucket, bits) -> w.putString(bucket).putByte(bits));
            }
        } else if (command instanceof Command.DeleteAccessKey c) {
            w.putByte(DELETE_ACCESS_KEY).putString(c.accessKeyId());
        } else if (command instanceof Command.ChangeGrants c) {
            w.putByte(CHANGE_GRANTS).putString(c.accessKeyId()).putString(c.bucket()).putByte(c.add())
                    .putByte(c.remove());
        } else {
            throw new IllegalArgumentException("no encoding for " + command);
        }
        return w.toByteArray();
    }

    /**
     * The name of the command encoded at {@code offset} of {@code bytes} (its record's simple name, such as
     * {@code DeleteObject}), read from its tag alone; {@code Unknown} for a tag this version does not know.
     */
    public static String name(byte[] bytes, int offset) {
        int tag = bytes.length > offset + 1 ? bytes[offset + 1] & 0xff : 0; // after the format version
        return tag > 0 && tag < NAMES.length ? NAMES[tag] : "Unknown";
    }

    public static Command<?> decode(byte[] bytes) {
        ValueReader r = new ValueReader(bytes, VERSION);
        int tag = r.getByte();
        switch (tag) {
            case CREATE_BUCKET:
                return decodeCreateBucket(r);
            case DELETE_BUCKET:
                return new Command.DeleteBucket(r.getString());
            case SET_BUCKET_CONFIG:
                return new Command.SetBucketConfig(r.getString(), r.getString(), r.getBytes());
            case SET_VERSIONING:
                return new Command.SetVersioning(r.getString(), VersioningState.values()[r.getByte()]);
            case PUT_OBJECT:
                return new Command.PutObject(r.getString(), r.getLong(), r.getString(),
                        ObjectRecord.decode(r.getBytes()), getPrecondition(r), r.getBoolean(), r.getString());
            case DELETE_OBJECT:
                return new Command.DeleteObject(r.getString(), r.getLong(), r.getString(), getPrecondition(r),
                        r.getLong(), r.getString());
            case DELETE_VERSION:
                return new Command.DeleteVersion(r.getString(), r.getLong(), r.getString(), r.getString());
            case SET_METADATA_ENTRY:
                return new Command.SetMetadataEntry(r.getString(), r.getLong(), r.getString(), r.getString(),
                        r.getString());
            case CREATE_UPLOAD:
                return new Command.CreateUpload(r.getString(), r.getLong(), r.getBytes(),
                        UploadRecord.decode(r.getBytes()));
            case COMMIT_PART:
                return new Command.CommitPart(r.getString(), r.getLong(), r.getString(), r.getBytes(), r.getInt(),
                        PartRecord.decode(r.getBytes()));
            case COMPLETE_UPLOAD:
                return decodeComplete(r);
            case ABORT_UPLOAD:
                return new Command.AbortUpload(r.getString(), r.getLong(), r.getString(), r.getBytes(),
                        getInstant(r), r.getLong());
            case RECLAIM_UPLOAD:
                return new Command.ReclaimUpload(r.getBytes());
            case PURGE_TOMBSTONES:
                return new Command.PurgeTombstones(r.getLong(), r.getInt());
            case PUT_ACCESS_KEYS:
                return decodePutAccessKeys(r);
            case DELETE_ACCESS_KEY:
                return new Command.DeleteAccessKey(r.getString());
            case CHANGE_GRANTS:
                return new Command.ChangeGrants(r.getString(), r.getString(), r.getByte(), r.getByte());
            default:
                throw new IllegalArgumentException("unknown command tag " + tag);
        }
    }

    /** Entries logged before buckets carried their creator's grant end after the time. */
    private static Command.CreateBucket decodeCreateBucket(ValueReader r) {
        long id = r.getLong();
        String name = r.getString();
        String owner = r.getString();
        long now = r.getLong();
        if (!r.hasMore()) {
            return new Command.CreateBucket(id, name, owner, now);
        }
        return new Command.CreateBucket(id, name, owner, now, r.getString(), r.getByte());
    }

    private static Command.PutAccessKeys decodePutAccessKeys(ValueReader r) {
        int n = r.getInt();
        List<AccessKeyEntry> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = r.getString();
            byte[] document = r.getBytes();
            int grants = r.getInt();
            TreeMap<String, Integer> g = new TreeMap<>();
            for (int j = 0; j < grants; j++) {
                g.put(r.getString(), r.getByte());
            }
            keys.add(new AccessKeyEntry(id, document, g));
        }
        return new Command.PutAccessKeys(List.copyOf(keys));
    }

    private static Command.CompleteUpload decodeComplete(ValueReader r) {
        String bucket = r.getString();
        long bucketId = r.getLong();
        String key = r.getString();
        byte[] uploadId = r.getBytes();
        int n = r.getInt();
        List<CompletedPart> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parts.add(new CompletedPart(r.getInt(), r.getString(), ChecksumCodec.get(r)));
        }
        Precondition precondition = getPrecondition(r);
        var expectedChecksum = ChecksumCodec.getObject(r);
        long expectedSize = r.getLong();
        String type = r.getString();
        CompleteOptions options = new CompleteOptions(precondition, expectedChecksum, expectedSize,
                type == null ? null : ChecksumType.valueOf(type));
        return new Command.CompleteUpload(bucket, bucketId, key, uploadId, List.copyOf(parts), options, r.getLong(),
                r.getString(), r.getLong());
    }

    private static void putPrecondition(ValueWriter w, Precondition p) {
        Precondition c = p == null ? Precondition.NONE : p;
        w.putString(c.ifMatch()).putString(c.ifNoneMatch());
        putInstant(w, c.ifMatchLastModified());
        w.putLong(c.ifMatchSize());
    }

    private static Precondition getPrecondition(ValueReader r) {
        return new Precondition(r.getString(), r.getString(), getInstant(r), r.getLong());
    }

    private static void putInstant(ValueWriter w, Instant t) {
        w.putBoolean(t != null);
        if (t != null) {
            w.putLong(t.getEpochSecond()).putInt(t.getNano());
        }
    }

    private static Instant getInstant(ValueReader r) {
        return r.getBoolean() ? Instant.ofEpochSecond(r.getLong(), r.getInt()) : null;
    }
}
