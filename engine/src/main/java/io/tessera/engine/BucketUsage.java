package io.tessera.engine;

import java.time.Instant;

/**
 * What one bucket holds, exact at the last commit: its objects and their bytes, and its incomplete
 * multipart uploads with the bytes their parts hold (parts of aborted uploads count until the
 * background reclaim has dropped them, which is seconds).
 *
 * @param oldestUpload when the oldest incomplete upload was initiated, or null if there is none
 */
public record BucketUsage(String bucket, long objects, long objectBytes, long uploads, long uploadBytes,
                          Instant oldestUpload) {
}
