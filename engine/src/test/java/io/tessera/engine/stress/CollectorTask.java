package io.tessera.engine.stress;

/** Runs full collection cycles back to back, the harshest schedule compaction can face. */
final class CollectorTask extends StressTask {
    CollectorTask(StressWorld world, long seed, String name) {
        super(world, seed, name);
    }

    @Override
    protected void step() {
        world.engine.collectGarbage();
        world.tally.gcCycles.increment();
    }
}
