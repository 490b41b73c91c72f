package io.tessera.server.group;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A member's request to another for a blob it lacks (named by an entry it applied, or by a read): "send
 * blob {@code blobId} to {@code requester}". The bytes then travel as any blob does between members.
 */
record BlobFetch(long blobId, String requester) {
    byte[] encode() {
        byte[] id = requester.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + id.length).putLong(blobId).put(id).array();
    }

    static BlobFetch decode(byte[] bytes) throws IOException {
        if (bytes.length < 9) {
            throw new IOException("not a blob fetch");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long blobId = b.getLong();
        byte[] id = new byte[b.remaining()];
        b.get(id);
        return new BlobFetch(blobId, new String(id, StandardCharsets.UTF_8));
    }
}
