package io.tessera.engine.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.ChecksumType;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upload rows read back as written, and rows written before a field existed still read. */
class UploadRecordTest {
    @Test
    void roundTripsAndReadsRowsWithoutTheKeyHeldFlag() {
        UploadRecord row = UploadRecord.active(7, "a/key", 1234, "owner", Map.of("content-type", "x/y"),
                ChecksumAlgorithm.CRC32C, ChecksumType.COMPOSITE, true);
        UploadRecord back = UploadRecord.decode(row.encode());
        assertThat(back.keyHeldObject()).isTrue();
        assertThat(back.key()).isEqualTo("a/key");
        assertThat(back.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32C);

        byte[] encoded = row.encode();
        UploadRecord old = UploadRecord.decode(Arrays.copyOf(encoded, encoded.length - 1));
        assertThat(old.keyHeldObject()).isFalse();
        assertThat(old.initiatedMillis()).isEqualTo(1234);
        assertThat(old.metadata()).isEqualTo(Map.of("content-type", "x/y"));
        assertThat(old.aborted(99).keyHeldObject()).isFalse();
    }
}
