package io.tessera.engine.checksum;

import java.nio.ByteBuffer;
import java.util.List;

/** The kinds of buffer a hasher must read the same way: heap, direct, read-only, sliced at odd offsets. */
final class Buffers {

    private Buffers() {
    }

    /** Returns fresh buffers whose remaining bytes are exactly {@code data}, each preceded by {@code pad} others. */
    static List<ByteBuffer> variants(byte[] data, int pad) {
        return List.of(
                ByteBuffer.wrap(data),
                padded(ByteBuffer.allocate(data.length + 2 * pad + 1), data, pad),
                padded(ByteBuffer.allocate(data.length + 2 * pad + 1), data, pad).slice(),
                padded(ByteBuffer.allocate(data.length + 2 * pad + 1), data, pad).asReadOnlyBuffer(),
                padded(ByteBuffer.allocateDirect(data.length + 2 * pad + 1), data, pad),
                padded(ByteBuffer.allocateDirect(data.length + 2 * pad + 1), data, pad).slice(),
                padded(ByteBuffer.allocateDirect(data.length + 2 * pad + 1), data, pad).asReadOnlyBuffer());
    }

    /** Fills {@code buffer} with junk around {@code data} and selects just {@code data}. */
    private static ByteBuffer padded(ByteBuffer buffer, byte[] data, int pad) {
        for (int i = 0; i < pad; i++) {
            buffer.put((byte) (0x5a + i));
        }
        buffer.put(data);
        while (buffer.hasRemaining()) {
            buffer.put((byte) 0xa5);
        }
        return buffer.position(pad).limit(pad + data.length);
    }
}
