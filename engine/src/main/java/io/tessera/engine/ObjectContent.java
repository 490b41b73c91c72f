package io.tessera.engine;

import java.io.InputStream;
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

    @Override
    void close();
}
