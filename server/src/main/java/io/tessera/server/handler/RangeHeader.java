package io.tessera.server.handler;

import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectPart;
import io.tessera.engine.ReadRange;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;

/**
 * The {@code Range} header of GET and HEAD, and the {@code x-amz-copy-source-range} header of
 * UploadPartCopy. Stateless.
 */
final class RangeHeader {
    private RangeHeader() {
    }

    /**
     * The range a GET asks for, or null for the whole object. As S3, a header that is not one valid
     * {@code bytes=} range (several ranges, other units, garbage) is ignored.
     */
    static ReadRange parse(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.startsWith("bytes=")) {
            return null;
        }
        String spec = h.substring(6).trim();
        if (spec.contains(",")) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return null;
                }
                return ReadRange.suffix(Long.parseLong(b));
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? -1 : Long.parseLong(b);
            if (first < 0 || (last >= 0 && last < first)) {
                return null;
            }
            return ReadRange.bytes(first, last);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * {@code x-amz-copy-source-range}: exactly {@code bytes=first-last}, inclusive, within the source.
     *
     * @throws S3Exception {@code InvalidArgument} when malformed, {@code InvalidRange} when past the end
     */
    static ReadRange.Bytes parseCopyRange(String header, long sourceSize) {
        String h = header.trim();
        S3Exception bad = new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are"
                        + " the zero-based offsets of the first and last bytes to copy")
                .with("ArgumentName", "x-amz-copy-source-range").with("ArgumentValue", header);
        if (!h.startsWith("bytes=")) {
            throw bad;
        }
        String spec = h.substring(6);
        int dash = spec.indexOf('-');
        if (dash <= 0 || dash == spec.length() - 1) {
            throw bad;
        }
        long first;
        long last;
        try {
            first = Long.parseLong(spec.substring(0, dash));
            last = Long.parseLong(spec.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw bad;
        }
        if (first < 0 || last < first) {
            throw bad;
        }
        if (last >= sourceSize) {
            throw new S3Exception(S3ErrorCode.INVALID_RANGE, "The requested range is not satisfiable")
                    .with("RangeRequested", header).with("ActualObjectSize", Long.toString(sourceSize));
        }
        return new ReadRange.Bytes(first, last);
    }

    /**
     * {first byte, length} of a range over an object, as the engine resolves it (for HEAD, which does
     * not open the bytes).
     */
    static long[] resolve(ObjectInfo info, ReadRange range) {
        long size = info.size();
        if (range == null || range instanceof ReadRange.All) {
            return new long[] {0, size};
        }
        if (range instanceof ReadRange.Bytes b) {
            if (b.first() >= size) {
                throw new S3Exception(S3ErrorCode.INVALID_RANGE);
            }
            long last = b.last() < 0 ? size - 1 : Math.min(b.last(), size - 1);
            return new long[] {b.first(), last - b.first() + 1};
        }
        if (range instanceof ReadRange.Suffix s) {
            if (s.length() <= 0 || size == 0) {
                throw new S3Exception(S3ErrorCode.INVALID_RANGE);
            }
            long n = Math.min(s.length(), size);
            return new long[] {size - n, n};
        }
        int part = ((ReadRange.Part) range).partNumber();
        if (!info.isMultipart()) {
            if (part == 1) {
                return new long[] {0, size};
            }
            throw new S3Exception(S3ErrorCode.INVALID_PART, "The requested partnumber is not satisfiable");
        }
        long pos = 0;
        for (ObjectPart p : info.parts()) {
            if (p.partNumber() == part) {
                return new long[] {pos, p.size()};
            }
            pos += p.size();
        }
        throw new S3Exception(S3ErrorCode.INVALID_PART, "The requested partnumber is not satisfiable");
    }
}
