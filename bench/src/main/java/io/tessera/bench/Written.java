package io.tessera.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Bytes written by one benchmark thread, reported by JMH next to ops/s as a rate: the {@code mib}
 * line is MiB/s (JMH sums it over threads). Part sizes are whole MiB, so the counter stays exact.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Written {
    public long mib;

    @Setup(Level.Iteration)
    public void reset() {
        mib = 0;
    }
}
