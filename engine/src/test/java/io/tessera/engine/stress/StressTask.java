package io.tessera.engine.stress;

import io.tessera.engine.EngineConfig;

import java.util.Random;

/**
 * One thread of a stress run: repeats a random step until the run stops. Whatever a step throws is
 * counted as an error and the thread goes on, so one failure does not hide the next.
 *
 * <p>Each instance is run by one thread.
 */
abstract class StressTask implements Runnable {
    protected final StressWorld world;
    protected final Random rnd;
    protected final String name;

    StressTask(StressWorld world, long seed, String name) {
        this.world = world;
        this.rnd = new Random(seed);
        this.name = name;
    }

    String name() {
        return name;
    }

    @Override
    public final void run() {
        while (!world.stop.get()) {
            try {
                step();
            } catch (Throwable t) { // an error of any kind is a finding; keep stressing
                world.tally.error(name + " (uncaught)", t);
            }
        }
    }

    protected abstract void step();

    /**
     * Sizes 0..300 KiB, a quarter of them beyond one 256 KiB CRC block and a third small enough for the
     * segment small bodies share (group commit, no write lane).
     */
    protected int objectSize() {
        int dice = rnd.nextInt(100);
        if (dice < 5) {
            return 0;
        }
        if (dice < 30) {
            return 256 * 1024 + 1 + rnd.nextInt(44 * 1024);
        }
        if (dice < 65) {
            return 1 + rnd.nextInt((int) EngineConfig.DEFAULT_SMALL_BODY_LIMIT);
        }
        return rnd.nextInt(256 * 1024);
    }

    protected String randomKey() {
        return world.keys.get(rnd.nextInt(world.keys.size()));
    }
}
