package io.tessera.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;

/**
 * The bytes of an object (or of the range or part asked for), ready to send. The segment files stay
 * open until {@link #close()}, so the bytes cannot be reclaimed underneath a reader. Every byte handed
 * out, as a {@link FileSlice} or through {@link #stream()}, has passed its CRC check first.
 *
 * <p>Not thread-safe; use one of {@link #slices()} or {@link #stream()}, once.
 */
public interface ObjectContent extends AutoCloseable {
    ObjectInfo info();

    /** Offset of the first byte returned, within the object. */
    long firstByte();

    /** Number of bytes returned. */
    long length();

    /** Verified file regions, in order, for zero-copy sends; verification happens as you iterate. */
    Iterator<FileSlice> slices();

    /** The same bytes as a stream (verified block by block). */
    InputStream stream();

    /** Writes all the bytes into {@code w} (a copy's body); blocks on disk I/O. */
    default void writeTo(BodyWriter<?> w) {
        byte[] buf = new byte[1 << 20];
        try (InputStream in = stream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                w.write(ByteBuffer.wrap(buf, 0, n));
            }
        } catch (IOException e) {
            throw e.getCause() instanceof EngineException ee ? ee : EngineException.io("reading the copy source", e);
        }
    }

    @Override
    void close();
}
