package io.tessera.engine;

import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The bytes of one blob as this node holds them ({@link GroupMember#openBlob}), with what another member
 * needs to {@link GroupMember#receiveBlob receive} it: its id, length and owner. Its segments stay open
 * until {@link #close()}, so collection cannot take the bytes away meanwhile.
 *
 * <p>Not thread-safe: one sender owns it.
 */
public interface HeldBlob extends AutoCloseable {
    long blobId();

    /** The blob's length in bytes. */
    long length();

    /** Whether the blob is a part's body (else an object's). */
    boolean part();

    /** The upload id of a part's blob (16 bytes), null for an object's body. */
    byte[] uploadId();

    /** The part number of a part's blob, 0 for an object's body. */
    int partNumber();

    /**
     * Writes all the blob's bytes into {@code out}, each CRC block verified before it leaves (CORRUPTION
     * otherwise); blocks on disk I/O and on {@code out}.
     */
    void transferTo(WritableByteChannel out);

    /**
     * Reads the blob's next bytes into {@code dst}, each CRC block verified (CORRUPTION otherwise), and
     * returns how many; -1 once every byte was read. A {@code dst} with room for a whole CRC block or more is
     * filled straight from the segment file; blocks on disk I/O.
     */
    int read(ByteBuffer dst);

    /** Where the blob's records end and the MD5 each one's trailer holds (reads every record's trailer). */
    PieceDigests pieceDigests();

    @Override
    void close();
}
