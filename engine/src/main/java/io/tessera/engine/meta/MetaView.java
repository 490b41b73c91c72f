package io.tessera.engine.meta;

/** Read access to the metadata: the live store, or a consistent snapshot of it. */
interface MetaView {
    byte[] get(ColumnFamily cf, byte[] key);

    /** Looks up many keys of one column family (null for each absent key). */
    java.util.List<byte[]> multiGet(ColumnFamily cf, java.util.List<byte[]> keys);

    /** Keys in {@code [from, to)} ({@code to} null: to the end); close the cursor. */
    MetaCursor scan(ColumnFamily cf, byte[] from, byte[] to);
}
