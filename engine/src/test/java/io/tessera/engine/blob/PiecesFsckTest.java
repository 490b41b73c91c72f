package io.tessera.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.FsckReport;
import io.tessera.engine.VersioningState;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaStore;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.object.ObjectRows;
import io.tessera.engine.recovery.Fsck;
import io.tessera.engine.segment.BlobLocation;
import io.tessera.engine.segment.BlobPieces;
import io.tessera.engine.segment.RecordKind;
import io.tessera.engine.segment.SegmentIo;
import io.tessera.engine.testkit.TestEngines;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fsck knows a blob by its pieces: each record must name its piece, and the pieces must make the owner's size. */
class PiecesFsckTest {
    private static final int PIECE = 64 << 10;
    private static final int BODY = 3 * PIECE + 100;

    @TempDir
    Path dir;

    /** Writes a four-piece blob and commits it as object {@code key} of bucket 1 with {@code row(pieces)}. */
    private static BlobPieces put(BlobStore store, String key, java.util.function.UnaryOperator<BlobPieces> row,
                                  long ownerSize) {
        try (BlobWrite w = store.newWrite(RecordKind.OBJECT, null, 0, -1, Long.MAX_VALUE, null)) {
            w.write(ByteBuffer.wrap(TestEngines.bytes(key.hashCode(), BODY)));
            BlobPieces pieces = w.persist();
            ObjectRecord object = new ObjectRecord(ownerSize, "etag", 0, Map.of(), "owner", null,
                    List.of(new ObjectRecord.Extent(w.blobId(), ownerSize, 0, "etag", null)));
            try (MetaBatch batch = store.index().newBatch()) {
                store.index().add(batch, w.blobId(), row.apply(pieces));
                new ObjectRows(store.meta().tables(), store.index()).write(batch, 1, key, VersioningState.UNVERSIONED,
                        null, object, null);
                store.meta().commit(batch);
            }
            return pieces;
        }
    }

    @Test
    void piecesOutOfOrderOrShortOfTheOwnersSizeAreProblems() {
        try (MetaStore meta = MetaStore.open(dir.resolve("meta"), true);
             BlobStore store = new BlobStore(meta, dir.resolve("segments"), SegmentIo.DEFAULT, 0, 1L << 20, 4, 16,
                     Duration.ofSeconds(1), PIECE, System::currentTimeMillis)) {
            BlobPieces good = put(store, "good", p -> p, BODY);
            assertThat(good.count()).isEqualTo(4);
            FsckReport clean = Fsck.run(store, true);
            assertThat(clean.problems()).isEmpty();
            assertThat(clean.blobs()).isOne();

            put(store, "swapped", p -> {
                List<BlobLocation> swapped = new ArrayList<>(p.pieces());
                Collections.swap(swapped, 0, 1); // both full pieces: the lengths still add up
                return new BlobPieces(swapped);
            }, BODY);
            put(store, "short", p -> new BlobPieces(p.pieces().subList(0, 3)), BODY);
            List<String> problems = Fsck.run(store, true).problems();
            assertThat(problems).anyMatch(m -> m.contains("piece at 0") && m.contains("names another record"));
            assertThat(problems).anyMatch(m -> m.contains("piece at " + PIECE) && m.contains("names another record"));
            assertThat(problems).anyMatch(m -> m.contains("pieces of " + 3 * PIECE + " bytes, its owner says " + BODY));
        }
    }
}
