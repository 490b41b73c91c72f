package io.tessera.engine.testkit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What one version of an object (or one part) consists of, as runs of {@link BodyPattern} bodies, so
 * that its bytes can be regenerated and compared without keeping them. A single-shot object has one
 * part numbered 1; a copy refers to runs of its source's bodies.
 *
 * <p>Immutable.
 */
public record ObjectImage(boolean multipart, List<Part> parts) {
    public ObjectImage {
        parts = List.copyOf(parts);
    }

    /** Bytes {@code [from, from + length)} of one body. */
    public record Run(long bodyId, int keyIndex, long from, long length) {
    }

    /** One part: the runs that make it up, in order. */
    public record Part(int number, List<Run> runs) {
        public Part {
            runs = List.copyOf(runs);
        }

        public long size() {
            return runs.stream().mapToLong(Run::length).sum();
        }
    }

    /** A single-shot object written from one body. */
    public static ObjectImage single(long bodyId, int keyIndex, long length) {
        return new ObjectImage(false, List.of(new Part(1, List.of(new Run(bodyId, keyIndex, 0, length)))));
    }

    /** A single-shot object (or a part) holding {@code runs}. */
    public static ObjectImage of(List<Run> runs) {
        return new ObjectImage(false, List.of(new Part(1, runs)));
    }

    public long size() {
        return parts.stream().mapToLong(Part::size).sum();
    }

    /** The runs of every part, in order. */
    public List<Run> runs() {
        List<Run> out = new ArrayList<>();
        parts.forEach(p -> out.addAll(p.runs()));
        return out;
    }

    /** The runs covering bytes {@code [first, first + length)}: what a copy of that range holds. */
    public List<Run> slice(long first, long length) {
        List<Run> out = new ArrayList<>();
        long pos = 0;
        long end = first + length;
        for (Run r : runs()) {
            long from = Math.max(first, pos);
            long to = Math.min(end, pos + r.length());
            if (from < to) {
                out.add(new Run(r.bodyId(), r.keyIndex(), r.from() + from - pos, to - from));
            }
            pos += r.length();
        }
        return out;
    }

    public byte[] bytes() {
        return bytes(0, Math.toIntExact(size()));
    }

    /** Regenerates bytes {@code [first, first + length)}. */
    public byte[] bytes(long first, int length) {
        byte[] out = new byte[length];
        int done = 0;
        for (Run r : slice(first, length)) {
            BodyPattern.fill(r.bodyId(), r.keyIndex(), r.from(), out, done, (int) r.length());
            done += (int) r.length();
        }
        return out;
    }

    /** Lower-case hex MD5 of bytes {@code [first, first + length)}: the ETag of a copy of them. */
    public String md5Hex(long first, int length) {
        return md5Hex(bytes(first, length));
    }

    public static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** S3's ETag without quotes. */
    public static String unquoted(String etag) {
        return etag.replace("\"", "");
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(multipart ? "multipart[" : "single[");
        for (Part p : parts) {
            s.append(multipart ? " #" + p.number() + ":" : " ");
            for (Run r : p.runs()) {
                s.append("body ").append(r.bodyId()).append("/k").append(r.keyIndex());
                if (r.from() != 0) {
                    s.append('@').append(r.from());
                }
                s.append('+').append(r.length()).append(' ');
            }
        }
        return s.append(']').toString();
    }
}
