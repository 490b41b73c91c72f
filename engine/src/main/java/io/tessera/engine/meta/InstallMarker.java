package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;

/**
 * The mark of a checkpoint install in progress ({@code sys}, node-local): set, synced, before a member
 * starts replacing its replicated rows with a checkpoint's, cleared once the install is whole. A member
 * that opens with the mark set was cut off mid-install and redoes it from its staged copy of the
 * checkpoint before it serves; replacing rows is idempotent, so a redo after any crash point is safe.
 *
 * <p>Thread-safe (each call is one synced commit or one read).
 */
public final class InstallMarker {
    static final String PREFIX = "install.";
    private static final byte[] KEY = (PREFIX + "checkpoint").getBytes(StandardCharsets.US_ASCII);

    private InstallMarker() {
    }

    /** The name of the staged checkpoint an install was begun from and not finished; null when none was. */
    public static String staged(MetaStore store) {
        byte[] v = store.get(ColumnFamily.SYS, KEY);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** Marks, durably, the install of the checkpoint staged under {@code name}. */
    public static void set(MetaStore store, String name) {
        try (MetaBatch batch = store.newBatch()) {
            batch.put(ColumnFamily.SYS, KEY, name.getBytes(StandardCharsets.UTF_8));
            store.commit(batch);
        }
    }

    /** Clears the mark, durably (after every batch of the install was made durable). */
    public static void clear(MetaStore store) {
        try (MetaBatch batch = store.newBatch()) {
            batch.delete(ColumnFamily.SYS, KEY);
            store.commit(batch);
        }
    }
}
