package io.tessera.engine.checksum;

import java.nio.ByteBuffer;
import java.util.zip.Checksum;

/**
 * A {@link Hasher} over a {@link Checksum}: the JDK's CRC32 and CRC32C and our {@link Crc64Nvme} all read heap and
 * direct buffers in place.
 */
final class CrcHasher implements Hasher {

    private final Checksum checksum;
    private final int length;

    CrcHasher(Checksum checksum, int length) {
        this.checksum = checksum;
        this.length = length;
    }

    @Override
    public void update(ByteBuffer src) {
        checksum.update(src);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        checksum.update(b, off, len);
    }

    @Override
    public byte[] digest() {
        long value = checksum.getValue();
        checksum.reset();
        return BigEndian.toBytes(value, length);
    }
}
