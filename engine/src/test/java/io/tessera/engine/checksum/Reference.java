package io.tessera.engine.checksum;

import io.tessera.engine.ChecksumAlgorithm;

import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** Independent reference CRCs for the tests: the JDK's CRC32/CRC32C, and a bit-at-a-time CRC-64/NVME. */
final class Reference {

    private Reference() {
    }

    static long crc(ChecksumAlgorithm algorithm, byte[] b, int off, int len) {
        switch (algorithm) {
            case CRC32: {
                CRC32 crc = new CRC32();
                crc.update(b, off, len);
                return crc.getValue();
            }
            case CRC32C: {
                CRC32C crc = new CRC32C();
                crc.update(b, off, len);
                return crc.getValue();
            }
            case CRC64NVME:
                return crc64Nvme(b, off, len);
            default:
                throw new IllegalArgumentException(algorithm.toString());
        }
    }

    static long crc(ChecksumAlgorithm algorithm, byte[] b) {
        return crc(algorithm, b, 0, b.length);
    }

    /** CRC-64/NVME straight from its definition, deliberately sharing nothing with {@link Crc64Nvme}. */
    static long crc64Nvme(byte[] b, int off, int len) {
        long crc = -1L;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
            }
        }
        return ~crc;
    }
}
