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

        byte[] encoded = row.encode(); // ends with the flag (1 byte) and the version id (null: 4 bytes)
        UploadRecord old = UploadRecord.decode(Arrays.copyOf(encoded, encoded.length - 5));
        assertThat(old.keyHeldObject()).isFalse();
        assertThat(old.initiatedMillis()).isEqualTo(1234);
        assertThat(old.metadata()).isEqualTo(Map.of("content-type", "x/y"));
        assertThat(old.aborted(99).keyHeldObject()).isFalse();
    }

    @Test
    void aCompletedRowKeepsItsVersionIdAndOlderRowsReadWithoutOne() {
        UploadRecord active = UploadRecord.active(7, "k", 1234, "owner", Map.of(), null, null, false);
        UploadRecord done = active.completed(5678, new byte[16], "etag-2", null, 42, "001a2500Abc");
        assertThat(UploadRecord.decode(done.encode()).completedVersionId()).isEqualTo("001a2500Abc");
        assertThat(UploadRecord.decode(done.encode()).completedEtag()).isEqualTo("etag-2");

        UploadRecord unversioned = active.completed(5678, new byte[16], "etag-2", null, 42, null);
        byte[] encoded = unversioned.encode();
        UploadRecord old = UploadRecord.decode(Arrays.copyOf(encoded, encoded.length - 4)); // no version id field
        assertThat(old.completedVersionId()).isNull();
        assertThat(old.completedSize()).isEqualTo(42);
    }
}
