package io.tessera.bench.engine;

import io.tessera.bench.BenchFiles;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineConfig;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A real engine (RocksDB with synced commits, segment files, fsync) in a scratch directory. */
final class BenchEngine implements AutoCloseable {
    static final String BUCKET = "bench";
    static final String OWNER = "bench-owner";

    final Path dir;
    final Engine engine;

    private BenchEngine(Path dir, Engine engine) {
        this.dir = dir;
        this.engine = engine;
    }

    static BenchEngine open(String name, UnaryOperator<EngineConfig> tune) {
        Path dir = BenchFiles.newScratchDir(name);
        Engine e = Engine.open(tune.apply(EngineConfig.defaults(dir)));
        e.createBucket(BUCKET, OWNER);
        return new BenchEngine(dir, e);
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            BenchFiles.deleteTree(dir);
        }
    }
}
