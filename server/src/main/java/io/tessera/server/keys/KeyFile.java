package io.tessera.server.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The key store of one data directory, {@code <data>/keys.json}. Readers need no lock: the file is only
 * ever replaced whole (written to a temporary file, fsynced, renamed over it, the directory fsynced),
 * so a reader sees the old or the new set. Writers read, change and replace it under an exclusive lock
 * on {@code keys.json.lock}, held through a lock in this JVM and a file lock against other processes
 * (the {@code tessera key} commands and a running node). The file is created with mode 0600.
 *
 * <p>Thread-safe.
 */
public final class KeyFile {
    public static final String NAME = "keys.json";
    /** How long a writer waits for the lock before giving up. */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(10);
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final ConcurrentMap<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final Path tmp;
    private final Duration lockWait;

    private KeyFile(Path file, Duration lockWait) {
        this.file = file;
        this.lockWait = lockWait;
        this.lockFile = file.resolveSibling(NAME + ".lock");
        this.tmp = file.resolveSibling(NAME + ".tmp");
    }

    /** The key store of the data directory {@code dataDir}. */
    public static KeyFile in(Path dataDir) {
        return in(dataDir, LOCK_WAIT);
    }

    /** The key store of {@code dataDir}, whose writers wait at most {@code lockWait} for the lock. */
    static KeyFile in(Path dataDir, Duration lockWait) {
        return new KeyFile(dataDir.toAbsolutePath().normalize().resolve(NAME), lockWait);
    }

    public Path path() {
        return file;
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

    /** Identifies one version of the file: any replacement changes it (a rename brings a new inode). */
    public record Stamp(Object fileKey, FileTime modified, long size) {
        static final Stamp ABSENT = new Stamp(null, null, -1);
    }

    /** The file's current stamp, {@link Stamp#ABSENT} when there is none. */
    public Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            return Stamp.ABSENT;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + file, e);
        }
    }

    /** What {@link #update} left: the keys now in the file and the file's stamp. */
    public record Updated(KeySet keys, Stamp stamp) {
    }

    /**
     * Applies {@code change} to the current keys and replaces the file with the result (unless it is
     * unchanged), under the writers' lock.
     *
     * @throws IllegalStateException when the lock is not free within {@link #LOCK_WAIT}, and the file is unchanged
     * @throws UncheckedIOException when the file cannot be read or written (it is then unchanged)
     */
    public Updated update(UnaryOperator<KeySet> change) {
        ReentrantLock local = IN_THIS_JVM.computeIfAbsent(file, f -> new ReentrantLock());
        long deadline = System.nanoTime() + lockWait.toNanos();
        try {
            if (!local.tryLock(lockWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lock on " + file, e);
        }
        try (FileChannel ch = openLockFile(); FileLock lock = lockWithin(ch, deadline)) {
            Objects.requireNonNull(lock);
            KeySet before = read();
            KeySet after = Objects.requireNonNull(change.apply(before));
            if (!after.equals(before)) {
                replace(KeyJson.write(after));
            }
            return new Updated(after, stamp());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file, e);
        } finally {
            local.unlock();
        }
    }

    private FileChannel openLockFile() throws IOException {
        Files.createDirectories(file.getParent());
        createOwnerOnly(lockFile, false);
        return FileChannel.open(lockFile, StandardOpenOption.WRITE);
    }

    /** The file lock, polled until {@code deadline}: another process holds it only while it edits. */
    private FileLock lockWithin(FileChannel ch, long deadline) throws IOException {
        while (true) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                throw busy();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the lock on " + file, e);
            }
        }
    }

    private IllegalStateException busy() {
        return new IllegalStateException("another writer has held the lock on " + lockFile + " for more than "
                + lockWait.toMillis() + " ms");
    }

    private void replace(byte[] content) throws IOException {
        Files.deleteIfExists(tmp);
        createOwnerOnly(tmp, true);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
    }

    /** Creates {@code f} readable and writable by its owner only (the mode is set after creation: umask). */
    private static void createOwnerOnly(Path f, boolean mustBeNew) throws IOException {
        try {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(f, OWNER_ONLY);
        } catch (FileAlreadyExistsException e) {
            if (mustBeNew) {
                throw e;
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's access rules apply
            if (mustBeNew || !Files.exists(f)) {
                Files.createFile(f);
            }
        }
    }

    /** Makes the rename durable; where a directory cannot be opened (not on Linux), the rename stands alone. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (AccessDeniedException | UnsupportedOperationException e) {
            // best effort on platforms that refuse to open directories
        }
    }
}
