package io.tessera.engine.meta;

/** Life of an upload. Only ACTIVE takes parts; COMPLETED and ABORTED are final tombstones. */
public enum UploadState {
    ACTIVE, COMPLETED, ABORTED
}
