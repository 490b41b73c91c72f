package io.tessera.engine.segment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;

/**
 * A whole record built in memory, for a small body that is collected before it is written: the body
 * goes in as it arrives ({@link #put}) and is fed to MD5 while it is hot in cache, {@link #digest()}
 * ends it, and {@link #seal} adds the trailer (block CRC32Cs, MD5) and the header, in exactly the layout
 * {@link RecordWriter} streams ({@link RecordFormat}), so readers, GC, fsck and recovery cannot tell
 * the two apart. {@link SharedSegment} then appends it in two positional writes, body first.
 *
 * <p>Not thread-safe.
 */
public final class RecordImage {
    private final byte[] bytes;
    private final int maxBody;
    private final MessageDigest md5Digest;
    private int bodyLength;
    private byte[] md5;
    private RecordHeader header;

    /** Room for a body of at most {@code maxBody} bytes. */
    public RecordImage(int maxBody) {
        this.maxBody = maxBody;
        this.bytes = new byte[Math.toIntExact(RecordFormat.recordLength(maxBody))];
        try {
            this.md5Digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int bodyLength() {
        return bodyLength;
    }

    /** Copies all remaining bytes of {@code src} after the body so far; false, consuming nothing, if they do not fit. */
    public boolean put(ByteBuffer src) {
        if (md5 != null) {
            throw new IllegalStateException("record already finished");
        }
        int n = src.remaining();
        if (n > maxBody - bodyLength) {
            return false;
        }
        src.get(bytes, RecordFormat.HEADER_SIZE + bodyLength, n);
        md5Digest.update(bytes, RecordFormat.HEADER_SIZE + bodyLength, n);
        bodyLength += n;
        return true;
    }

    /** Ends the body and returns its MD5. No more bytes after this. */
    public byte[] digest() {
        if (md5 == null) {
            md5 = md5Digest.digest();
        }
        return md5.clone();
    }

    /** Writes trailer and header around the finished body. */
    public void seal(RecordKind kind, long blobId, byte[] owner, int partNumber) {
        digest();
        int trailerAt = RecordFormat.HEADER_SIZE + bodyLength;
        ByteBuffer t = ByteBuffer.wrap(bytes, trailerAt, recordLength() - trailerAt).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        for (int from = 0; from < bodyLength; from += RecordFormat.BLOCK_SIZE) {
            crc.reset();
            crc.update(bytes, RecordFormat.HEADER_SIZE + from, Math.min(RecordFormat.BLOCK_SIZE, bodyLength - from));
            t.putInt((int) crc.getValue());
        }
        t.put(md5);
        t.putInt(RecordFormat.TRAILER_MAGIC);
        crc.reset();
        crc.update(bytes, trailerAt, t.position());
        t.putInt((int) crc.getValue());
        if (t.position() != RecordFormat.trailerLength(bodyLength)) {
            throw new IllegalStateException("trailer length mismatch");
        }
        // the padding after it is still zero: nothing is ever put past the body
        header = new RecordHeader(kind, blobId, bodyLength, owner, partNumber);
        System.arraycopy(header.encode(), 0, bytes, 0, RecordFormat.HEADER_SIZE);
    }

    /** The length of the whole record (header, body, trailer, padding). */
    public int recordLength() {
        return (int) RecordFormat.recordLength(bodyLength);
    }

    /** Body, trailer and padding, to be written at the record's offset + {@link RecordFormat#HEADER_SIZE}. */
    ByteBuffer afterHeader() {
        requireSealed();
        return ByteBuffer.wrap(bytes, RecordFormat.HEADER_SIZE, recordLength() - RecordFormat.HEADER_SIZE);
    }

    /** The header, written last: a record cut short never carries a valid header over a partial body. */
    ByteBuffer header() {
        requireSealed();
        return ByteBuffer.wrap(bytes, 0, RecordFormat.HEADER_SIZE);
    }

    private void requireSealed() {
        if (header == null) {
            throw new IllegalStateException("record not sealed");
        }
    }
}
