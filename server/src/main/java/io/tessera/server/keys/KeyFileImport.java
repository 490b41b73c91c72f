package io.tessera.server.keys;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the keys of a data directory's old key file ({@code keys.json}, {@link KeyFile}) into the
 * replicated state, once: the keys the state lacks (by id), with their grants, in one command; then the
 * file is renamed {@code keys.json.imported} so that it is never read again. A crash between the command
 * and the rename imports again at the next start, which adds nothing the state holds already.
 *
 * <p>Stateless; {@link #run} waits for the engine and belongs on a thread that may block.
 */
public final class KeyFileImport {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFileImport.class);
    public static final String IMPORTED = KeyFile.NAME + ".imported";

    /** How long a member keeps trying while its group cannot take the import yet (no leader, no quorum). */
    static final Duration GROUP_WAIT = Duration.ofMinutes(10);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private KeyFileImport() {
    }

    /**
     * What a starting node does: on its own, imports now (a broken file stops the start, as it always
     * did); as a group member, imports on a thread of its own, retrying while the group answers SLOW_DOWN
     * (it may have no leader yet) for up to {@link #GROUP_WAIT}. A member stopped before then imports at its
     * next start.
     */
    public static void atStart(KeyStore store, Path dataDir, boolean inGroup) {
        if (!KeyFile.in(dataDir).exists()) {
            return;
        }
        if (!inGroup) {
            run(store, dataDir);
            return;
        }
        Thread t = new Thread(() -> runInGroup(store, dataDir), "tessera-key-import");
        t.setDaemon(true);
        t.start();
    }

    private static void runInGroup(KeyStore store, Path dataDir) {
        long deadline = System.nanoTime() + GROUP_WAIT.toNanos();
        while (true) {
            try {
                run(store, dataDir);
                return;
            } catch (EngineException e) {
                if (e.code() != ErrorCode.SLOW_DOWN || System.nanoTime() > deadline) {
                    LOG.error("the access keys of {} were not imported ({}); the next start tries again",
                            KeyFile.in(dataDir).path(), e.getMessage());
                    return;
                }
            } catch (RuntimeException e) {
                LOG.error("the access keys of {} were not imported; the next start tries again",
                        KeyFile.in(dataDir).path(), e);
                return;
            }
            try {
                Thread.sleep(RETRY.toMillis()); // the group elects a leader meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Imports the key file of {@code dataDir}, if there is one; returns how many keys it added.
     *
     * @throws IllegalArgumentException when the file is not a key file (it stays where it is)
     * @throws UncheckedIOException when it cannot be read or renamed
     */
    public static int run(KeyStore store, Path dataDir) {
        KeyFile file = KeyFile.in(dataDir);
        if (!file.exists()) {
            return 0;
        }
        KeySet old = file.read();
        KeySet held = store.list();
        List<AccessKey> missing = new ArrayList<>();
        for (AccessKey k : old.keys()) {
            if (held.find(k.accessKeyId()).isEmpty()) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            store.put(missing);
        }
        Path renamed = file.path().resolveSibling(IMPORTED);
        try {
            Files.move(file.path(), renamed, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(file.path().resolveSibling(KeyFile.NAME + ".lock"));
        } catch (IOException e) {
            throw new UncheckedIOException("imported " + file.path() + " but cannot rename it to " + renamed, e);
        }
        LOG.info("imported {} of the {} access keys in {} into the replicated state ({} were there already);"
                + " the file is now {} and is no longer read", missing.size(), old.size(), file.path(),
                old.size() - missing.size(), renamed);
        return missing.size();
    }
}
