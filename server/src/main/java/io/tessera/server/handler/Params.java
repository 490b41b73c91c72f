package io.tessera.server.handler;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.S3Request;

/** Parsing of numeric query parameters and headers, with S3's errors. Stateless. */
final class Params {
    static final int MAX_PART_NUMBER = 10_000;

    private Params() {
    }

    /** An integer query parameter in {@code [min, max]}, {@code dflt} when absent. */
    static int intParam(S3Request req, String name, int dflt, int min, int max) {
        String v = req.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < min) {
                throw invalid(name, v, null);
            }
            return (int) Math.min(n, max);
        } catch (NumberFormatException e) {
            throw invalid(name, v, null);
        }
    }

    /** An integer header in {@code [min, max]} (larger values are capped at {@code max}), {@code dflt} when absent. */
    static int intHeader(S3Request req, String name, int dflt, int min, int max) {
        String v = req.header(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= min) {
                return (int) Math.min(n, max);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw invalid(name, v, null);
    }

    /** The {@code partNumber} parameter: an integer from 1 to 10,000. */
    static int partNumber(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_PART_NUMBER) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw invalid("partNumber", value, "Part number must be an integer between 1 and 10000, inclusive");
    }

    /** A non-negative long header, -1 when absent. */
    static long longHeader(S3Request req, String name) {
        String v = req.header(name);
        if (v == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw invalid(name, v, null);
    }

    static S3Exception invalid(String name, String value, String message) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                message != null ? message : "Invalid value for " + name + ": " + value)
                .with("ArgumentName", name).with("ArgumentValue", String.valueOf(value));
    }
}
