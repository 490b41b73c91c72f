package io.tessera.server.console;

import io.tessera.engine.EngineStats;
import io.tessera.server.metrics.EngineSnapshot;

/**
 * The node's space and GC figures at one moment, a point of the console's charts. Immutable.
 *
 * @param seq              the sample's number, counting from 1 since the node started
 * @param epochMillis      when it was taken
 * @param objectBytes      bytes of the objects in all buckets
 * @param uploadBytes      bytes the parts of incomplete multipart uploads hold
 * @param uploads          incomplete multipart uploads
 * @param segmentBytes     size of all segment files
 * @param liveBytes        bytes of live records in them
 * @param deadBytes        garbage in them
 * @param reclaimableBytes garbage a full GC cycle could give back now
 * @param gcCycles         GC cycles since the engine opened
 * @param gcReclaimedBytes bytes GC gave back since the engine opened
 */
public record SpaceSample(long seq, long epochMillis, long objects, long objectBytes, long uploads, long uploadBytes,
                          long segmentBytes, long liveBytes, long deadBytes, long reclaimableBytes, long gcCycles,
                          long gcReclaimedBytes) {

    /** The figures of {@code s}, numbered {@code seq}. */
    public static SpaceSample of(long seq, EngineSnapshot s) {
        EngineStats st = s.stats();
        return new SpaceSample(seq, s.taken().toEpochMilli(), s.objects(), s.objectBytes(), s.uploads(),
                s.uploadBytes(), s.segmentBytes(), st.liveBytes(), st.deadBytes(), st.reclaimableBytes(),
                st.gc().cycles(), st.gc().bytesReclaimed());
    }
}
