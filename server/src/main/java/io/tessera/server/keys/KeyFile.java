package io.tessera.server.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The key file older versions kept in the data directory, {@code <data>/keys.json}: read once, when
 * {@link KeyFileImport} moves its keys into the replicated state. Nothing writes it any more.
 *
 * <p>Thread-safe (immutable).
 */
public final class KeyFile {
    public static final String NAME = "keys.json";

    private final Path file;

    private KeyFile(Path file) {
        this.file = file;
    }

    /** The key file of the data directory {@code dataDir}. */
    public static KeyFile in(Path dataDir) {
        return new KeyFile(dataDir.toAbsolutePath().normalize().resolve(NAME));
    }

    public Path path() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /**
     * The keys in the file; none when there is no file.
     *
     * @throws IllegalArgumentException when the file is not a key file (the message names it and says where)
     * @throws UncheckedIOException when it cannot be read
     */
    public KeySet read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return KeySet.EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            return KeyJson.read(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }
}
