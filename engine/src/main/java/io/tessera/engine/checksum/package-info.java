/**
 * S3 "additional checksums" as pure algorithms: {@link io.tessera.engine.ChecksumAlgorithm} and its
 * {@link io.tessera.engine.checksum.Hasher}s, computed in the same pass that writes an object's bytes, plus the
 * math that derives a multipart object's checksum from its parts ({@link io.tessera.engine.checksum.CrcCombine},
 * {@link io.tessera.engine.checksum.MultipartChecksums}).
 *
 * <p>No HTTP and no S3 header names here: the server maps {@code x-amz-checksum-*} headers and base64 onto these.
 */
package io.tessera.engine.checksum;
