package io.tessera.engine.stress;

import io.tessera.engine.ErrorCode;
import io.tessera.engine.ReadRange;
import io.tessera.engine.testkit.BodyPattern;
import io.tessera.engine.testkit.ObjectImage;
import io.tessera.engine.testkit.VersionHistory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a read of a key returned, and whether a given version of the key explains it. Range rules
 * are S3's: a byte range starting at or past the end is INVALID_RANGE, its end is clamped; a suffix
 * of an empty object is INVALID_RANGE; part 1 of a single-shot object is all of it.
 */
sealed interface Outcome {
    /** GetObject's answer: the object's size, the first byte returned and the bytes. */
    record Data(long objectSize, long firstByte, byte[] bytes) implements Outcome {
        @Override
        public String toString() {
            return "data(size " + objectSize + ", bytes " + firstByte + "+" + bytes.length + ")";
        }
    }

    /** A copy's answer: how many bytes were copied and their MD5 (the new object's or part's ETag). */
    record Copied(long length, String md5Hex) implements Outcome {
    }

    /** A refusal that a version can explain: NO_SUCH_KEY, INVALID_RANGE, INVALID_PART. */
    record Refused(ErrorCode code) implements Outcome {
    }

    static boolean isRefusal(ErrorCode code) {
        return code == ErrorCode.NO_SUCH_KEY || code == ErrorCode.INVALID_RANGE || code == ErrorCode.INVALID_PART;
    }

    /** True if reading {@code range} of {@code v} gives exactly this outcome. */
    default boolean explainedBy(VersionHistory.Version<ObjectImage> v, ReadRange range) {
        if (v.absent()) {
            return this instanceof Refused r && r.code() == ErrorCode.NO_SUCH_KEY;
        }
        return explainedBy(v.content(), range);
    }

    /** True if reading {@code range} of an object holding {@code image} gives exactly this outcome. */
    default boolean explainedBy(ObjectImage image, ReadRange range) {
        Object span = resolve(image, range);
        if (span instanceof ErrorCode code) {
            return this instanceof Refused r && r.code() == code;
        }
        long[] s = (long[]) span;
        if (this instanceof Data d) {
            return d.objectSize() == image.size() && d.firstByte() == s[0] && d.bytes().length == s[1]
                    && Arrays.equals(d.bytes(), image.bytes(s[0], (int) s[1]));
        }
        if (this instanceof Copied c) {
            return c.length() == s[1] && c.md5Hex().equals(image.md5Hex(s[0], (int) s[1]));
        }
        return false;
    }

    /** The first version among {@code candidates} that explains this outcome, or null. */
    default VersionHistory.Version<ObjectImage> explainedBy(List<VersionHistory.Version<ObjectImage>> candidates,
                                                            ReadRange range) {
        for (VersionHistory.Version<ObjectImage> v : candidates) {
            if (explainedBy(v, range)) {
                return v;
            }
        }
        return null;
    }

    /** {first byte, length} of what {@code range} selects of {@code image}, or the ErrorCode refusing it. */
    static Object resolve(ObjectImage image, ReadRange range) {
        long size = image.size();
        if (range instanceof ReadRange.All) {
            return new long[] {0, size};
        }
        if (range instanceof ReadRange.Bytes b) {
            if (b.first() < 0 || b.first() >= size) {
                return ErrorCode.INVALID_RANGE;
            }
            long last = b.last() < 0 ? size - 1 : Math.min(b.last(), size - 1);
            return last < b.first() ? ErrorCode.INVALID_RANGE : new long[] {b.first(), last - b.first() + 1};
        }
        if (range instanceof ReadRange.Suffix s) {
            if (s.length() <= 0 || size == 0) {
                return ErrorCode.INVALID_RANGE;
            }
            long n = Math.min(s.length(), size);
            return new long[] {size - n, n};
        }
        int wanted = ((ReadRange.Part) range).partNumber();
        if (!image.multipart()) {
            return wanted == 1 ? new long[] {0, size} : ErrorCode.INVALID_PART;
        }
        long pos = 0;
        for (ObjectImage.Part p : image.parts()) {
            if (p.number() == wanted) {
                return new long[] {pos, p.size()};
            }
            pos += p.size();
        }
        return ErrorCode.INVALID_PART;
    }

    /**
     * For a report: where the bytes of a wrong read first differ from each candidate of the same
     * length, and what the bytes there and at a few other places actually are.
     */
    static String diagnose(Data d, ReadRange range, List<VersionHistory.Version<ObjectImage>> candidates,
                           Map<Long, String> bodies) {
        byte[] b = d.bytes();
        StringBuilder s = new StringBuilder();
        List<Integer> probes = new ArrayList<>(List.of(0, b.length / 2,
                Math.max(0, b.length - 2 * BodyPattern.CELL)));
        for (VersionHistory.Version<ObjectImage> v : candidates) {
            if (v.absent() || !(resolve(v.content(), range) instanceof long[] span) || span[1] != b.length) {
                continue;
            }
            int at = Arrays.mismatch(b, v.content().bytes(span[0], (int) span[1]));
            if (at < 0) {
                s.append(" the bytes of ").append(v.label()).append(" but object size ").append(v.content().size())
                        .append(" and first byte ").append(span[0]).append(';');
                continue;
            }
            s.append(" differs from ").append(v.label()).append(" first at byte ").append(at)
                    .append(" (object offset ").append(span[0] + at).append(");");
            probes.add(0, Math.max(0, at - BodyPattern.CELL + 1));
        }
        for (int at : probes) {
            BodyPattern.Cell c = BodyPattern.identify(b, at, 2 * BodyPattern.CELL);
            s.append(" @").append(at).append(": ");
            if (c == null) {
                s.append(b.length < BodyPattern.CELL ? "too short to identify" : "no intact cell (garbage)");
            } else {
                s.append("body ").append(c.bodyId()).append(" offset ").append(c.bodyOffset() + at - c.foundAt())
                        .append(" (").append(bodies.getOrDefault(c.bodyId(), "unknown body")).append(')');
            }
        }
        return s.toString();
    }
}
