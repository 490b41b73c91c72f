package io.tessera.server.cli;

import io.tessera.server.keys.KeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option of the commands that edit a data directory's key store. */
final class DataDirOption {
    @Option(names = "--data", paramLabel = "DIR", description = "the node's data directory (default: ./data)")
    private Path data = Path.of("data");

    /**
     * The key store of the data directory, which must exist: a mistyped path fails instead of growing a
     * key store no node reads.
     */
    KeyFile keyFile() {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("no data directory at " + data + " (give --data, or create it first)");
        }
        return KeyFile.in(data);
    }
}
