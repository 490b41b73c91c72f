package io.tessera.server.keys;

/** What an operation needs on its bucket. */
public enum Access {
    /** GET and HEAD of objects and of the bucket, every listing. */
    READ,
    /** PUT, copy into, DELETE of objects, every multipart operation. */
    WRITE,
    /** Changes to the bucket itself: DeleteBucket, and its configuration. */
    OWNER
}
