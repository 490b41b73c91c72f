package io.tessera.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a leader's checkpoint holds: its id on the leader, the term and index of the last entry in it,
 * and its files (paths relative to the checkpoint directory, with their sizes).
 *
 * <p>Immutable.
 */
record CheckpointManifest(long id, long term, long index, List<FileEntry> files) {
    /** One file of a checkpoint. */
    record FileEntry(String path, long size) {
    }

    CheckpointManifest {
        files = List.copyOf(files);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(id);
            out.writeLong(term);
            out.writeLong(index);
            out.writeInt(files.size());
            for (FileEntry f : files) {
                out.writeUTF(f.path());
                out.writeLong(f.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static CheckpointManifest decode(InputStream bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(bytes)) {
            long id = in.readLong();
            long term = in.readLong();
            long index = in.readLong();
            int n = in.readInt();
            List<FileEntry> files = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                files.add(new FileEntry(in.readUTF(), in.readLong()));
            }
            return new CheckpointManifest(id, term, index, files);
        }
    }
}
