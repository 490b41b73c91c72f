package io.tessera.engine.testkit;

import java.nio.ByteBuffer;

/**
 * Bytes that say where they came from. A body is a run of {@value #CELL}-byte cells; each cell holds
 * the body id, the index of the key the body was written for, its own index, and two check words
 * derived from those. Any {@value #CELL} consecutive bytes of a read therefore name the body they
 * came from, and the whole body can be regenerated from its id, key index and length.
 *
 * <p>Stateless and thread-safe.
 */
public final class BodyPattern {
    public static final int CELL = 32;

    private BodyPattern() {
    }

    /** A cell found in a read: which body, for which key, at which offset of that body. */
    public record Cell(long bodyId, int keyIndex, long bodyOffset, int foundAt) {
    }

    /** The whole body. */
    public static byte[] body(long bodyId, int keyIndex, int length) {
        byte[] out = new byte[length];
        fill(bodyId, keyIndex, 0, out, 0, length);
        return out;
    }

    /** Writes bytes {@code [from, from + length)} of the body into {@code dst} at {@code offset}. */
    public static void fill(long bodyId, int keyIndex, long from, byte[] dst, int offset, int length) {
        ByteBuffer cell = ByteBuffer.allocate(CELL);
        long pos = from;
        int done = 0;
        while (done < length) {
            long index = pos / CELL;
            int within = (int) (pos % CELL);
            cell(bodyId, keyIndex, index, cell);
            int n = Math.min(CELL - within, length - done);
            System.arraycopy(cell.array(), within, dst, offset + done, n);
            done += n;
            pos += n;
        }
    }

    private static void cell(long bodyId, int keyIndex, long index, ByteBuffer out) {
        long check = check(bodyId, keyIndex, index);
        out.clear();
        out.putLong(bodyId).putInt(keyIndex).putInt((int) index).putLong(check).putLong(mix(check));
    }

    private static long check(long bodyId, int keyIndex, long index) {
        return mix(mix(bodyId) ^ (((long) keyIndex) << 32 | (index & 0xffffffffL)));
    }

    /** SplitMix64's finaliser: cheap, and every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * The first whole, intact cell in {@code data[from, from + span)} (it may extend past the span
     * by up to one cell), or null: tells what a wrong read actually returned.
     */
    public static Cell identify(byte[] data, int from, int span) {
        ByteBuffer b = ByteBuffer.wrap(data);
        int last = Math.min(data.length - CELL, from + span);
        for (int at = Math.max(0, from); at <= last; at++) {
            long bodyId = b.getLong(at);
            int keyIndex = b.getInt(at + 8);
            long index = b.getInt(at + 12) & 0xffffffffL;
            long check = b.getLong(at + 16);
            if (check == check(bodyId, keyIndex, index) && b.getLong(at + 24) == mix(check)) {
                return new Cell(bodyId, keyIndex, index * CELL, at);
            }
        }
        return null;
    }
}
