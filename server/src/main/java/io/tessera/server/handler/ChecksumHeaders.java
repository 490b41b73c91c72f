package io.tessera.server.handler;

import io.tessera.engine.ChecksumValue;
import io.tessera.engine.ObjectChecksum;
import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.ChecksumType;
import io.tessera.server.auth.Trailers;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Request;
import io.tessera.server.http.S3Response;
import io.tessera.server.xml.Checksums;
import java.util.Base64;
import java.util.Locale;

/**
 * The flexible-checksum headers of a body upload: at most one {@code x-amz-checksum-<alg>} value,
 * sent as a header or announced in {@code x-amz-trailer} and sent after the body, plus the optional
 * {@code x-amz-sdk-checksum-algorithm}. Also the conversions between engine checksums and their
 * header and XML forms. Immutable.
 *
 * @param algorithm   the algorithm to compute over the body, or null for none
 * @param headerValue the value sent as a header, or null
 * @param trailerName the trailer that will carry the value, or null
 */
record ChecksumHeaders(ChecksumAlgorithm algorithm, String headerValue, String trailerName) {
    static final String PREFIX = "x-amz-checksum-";
    static final ChecksumHeaders NONE = new ChecksumHeaders(null, null, null);

    /**
     * Reads the checksum headers of an upload request.
     *
     * @param trailerAllowed whether the body can carry trailers (aws-chunked with a trailer)
     */
    static ChecksumHeaders parse(S3Request req, boolean trailerAllowed) {
        ChecksumAlgorithm headerAlg = null;
        String headerValue = null;
        for (String name : req.headers().names()) {
            ChecksumAlgorithm a = algorithmOfHeader(name);
            if (a == null) {
                continue;
            }
            if (headerAlg != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Expecting a single x-amz-checksum- header."
                        + " Multiple checksum Types are not allowed.");
            }
            headerAlg = a;
            headerValue = req.header(name).trim();
            checkValue(a, headerValue);
        }
        ChecksumAlgorithm trailerAlg = null;
        String trailerName = null;
        String trailer = req.header("x-amz-trailer");
        if (trailer != null && !trailer.isBlank()) {
            trailerName = trailer.trim().toLowerCase(Locale.ROOT);
            trailerAlg = algorithmOfHeader(trailerName);
            if (trailerAlg == null || trailerName.contains(",")) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The value specified in the x-amz-trailer"
                        + " header is not supported").with("ArgumentName", "x-amz-trailer")
                        .with("ArgumentValue", trailer);
            }
            if (!trailerAllowed) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "x-amz-trailer needs an aws-chunked body with a trailer (x-amz-content-sha256"
                                + " STREAMING-...-TRAILER).");
            }
            if (headerAlg != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Expecting a single x-amz-checksum- header."
                        + " Multiple checksum Types are not allowed.");
            }
        }
        ChecksumAlgorithm sdkAlg = null;
        String sdk = req.header("x-amz-sdk-checksum-algorithm");
        if (sdk != null && !sdk.isBlank()) {
            sdkAlg = parseAlgorithm(sdk, "x-amz-sdk-checksum-algorithm");
        }
        ChecksumAlgorithm alg = headerAlg != null ? headerAlg : trailerAlg;
        if (sdkAlg != null) {
            if (alg == null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "x-amz-sdk-checksum-algorithm specified, but no"
                        + " corresponding x-amz-checksum-* or x-amz-trailer headers were found.");
            }
            if (alg != sdkAlg) {
                throw new S3Exception(S3ErrorCode.BAD_DIGEST, "Value for x-amz-sdk-checksum-algorithm header is"
                        + " invalid: it names " + sdkAlg + " but the checksum sent is " + alg + ".");
            }
        }
        if (alg == null) {
            return NONE;
        }
        return new ChecksumHeaders(alg, headerValue, trailerName);
    }

    /** The value the client claims, from the header or from the trailers; null when none was sent. */
    ChecksumValue claimed(Trailers trailers) {
        if (algorithm == null) {
            return null;
        }
        if (headerValue != null) {
            return new ChecksumValue(algorithm, headerValue);
        }
        String v = trailers.get(trailerName).map(String::trim).orElse(null);
        if (v == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The trailer " + trailerName + " announced in x-amz-trailer was not sent.");
        }
        checkValue(algorithm, v);
        return new ChecksumValue(algorithm, v);
    }

    /** The algorithm a header name such as {@code x-amz-checksum-crc32} names, or null. */
    static ChecksumAlgorithm algorithmOfHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!n.startsWith(PREFIX)) {
            return null;
        }
        return switch (n.substring(PREFIX.length())) {
            case "crc32" -> ChecksumAlgorithm.CRC32;
            case "crc32c" -> ChecksumAlgorithm.CRC32C;
            case "crc64nvme" -> ChecksumAlgorithm.CRC64NVME;
            case "sha1" -> ChecksumAlgorithm.SHA1;
            case "sha256" -> ChecksumAlgorithm.SHA256;
            default -> null;
        };
    }

    /** Parses an algorithm name such as {@code CRC32C}. */
    static ChecksumAlgorithm parseAlgorithm(String value, String headerName) {
        try {
            return ChecksumAlgorithm.fromName(value.trim());
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum algorithm provided is unsupported."
                    + " Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
                    .with("ArgumentName", headerName).with("ArgumentValue", value);
        }
    }

    /** Parses a checksum type ({@code COMPOSITE} or {@code FULL_OBJECT}). */
    static ChecksumType parseType(String value) {
        try {
            return ChecksumType.fromName(value.trim());
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Value for x-amz-checksum-type header is invalid.")
                    .with("ArgumentName", "x-amz-checksum-type").with("ArgumentValue", value);
        }
    }

    /**
     * Checks that a declared value can be a digest of {@code alg}: one that is not base64 of the
     * digest's length cannot match the body, and any declared value that does not match the body is
     * BadDigest, whatever the algorithm and wherever it was declared (header, trailer, Complete).
     */
    static void checkValue(ChecksumAlgorithm alg, String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != alg.digestLength()) {
            throw mismatch(alg);
        }
    }

    /** S3's answer to a declared checksum that does not match the body. */
    static S3Exception mismatch(ChecksumAlgorithm alg) {
        return new S3Exception(S3ErrorCode.BAD_DIGEST, "The " + alg.name().toLowerCase(Locale.ROOT)
                + " you specified did not match the calculated checksum.");
    }

    /** The response header name for an algorithm. */
    static String headerName(ChecksumAlgorithm alg) {
        return PREFIX + alg.name().toLowerCase(Locale.ROOT);
    }

    /** Adds {@code x-amz-checksum-<alg>} for a part or single-shot body. */
    static void addHeader(S3Response r, ChecksumValue c) {
        if (c != null) {
            r.header(headerName(c.algorithm()), c.base64());
        }
    }

    /** Adds {@code x-amz-checksum-<alg>} (with a composite's {@code -N}) and {@code x-amz-checksum-type}. */
    static void addHeaders(S3Response r, ObjectChecksum c) {
        if (c != null) {
            r.header(headerName(c.algorithm()), c.display());
            r.header("x-amz-checksum-type", c.type().name());
        }
    }

    /** The XML checksum elements holding one value. */
    static Checksums toXml(ChecksumAlgorithm alg, String value) {
        if (alg == null || value == null) {
            return null;
        }
        return switch (alg) {
            case CRC32 -> new Checksums(value, null, null, null, null);
            case CRC32C -> new Checksums(null, value, null, null, null);
            case CRC64NVME -> new Checksums(null, null, value, null, null);
            case SHA1 -> new Checksums(null, null, null, value, null);
            case SHA256 -> new Checksums(null, null, null, null, value);
        };
    }

    static Checksums toXml(ChecksumValue c) {
        return c == null ? null : toXml(c.algorithm(), c.base64());
    }

    static Checksums toXml(ObjectChecksum c) {
        return c == null ? null : toXml(c.algorithm(), c.display());
    }

    /** The one checksum of an XML element set, or null; two values are a MalformedXML-worthy request. */
    static ChecksumValue fromXml(Checksums c) {
        if (c == null) {
            return null;
        }
        ChecksumValue out = null;
        String[] values = {c.crc32(), c.crc32c(), c.crc64nvme(), c.sha1(), c.sha256()};
        ChecksumAlgorithm[] algs = {ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME,
            ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null && !values[i].isBlank()) {
                if (out != null) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Only one checksum per part is allowed.");
                }
                out = new ChecksumValue(algs[i], values[i].trim());
            }
        }
        return out;
    }
}
