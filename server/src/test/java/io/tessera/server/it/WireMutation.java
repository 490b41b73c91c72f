package io.tessera.server.it;

import io.tessera.server.it.SignedWire.Request;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One way of changing a valid signed request on the wire. Every change alters something the signature
 * covers (method, path, query, a signed header, the signature itself) or breaks the body against its
 * signed hash, its chunk signatures or its framing; none of them yields a request that means the same
 * as the original, except where noted ({@link #BODY_BYTE} on an aws-chunked body, where the case of a hex
 * digit is free). Stateless.
 */
enum WireMutation {
    /** Another method, standard or not. */
    METHOD,
    /** The method in lower case: methods are case-sensitive, {@code put} is not {@code PUT}. */
    METHOD_CASE,
    /** One letter or digit of the path replaced. */
    PATH_CHAR,
    /** One character of the path removed. */
    PATH_DELETE,
    /** One unreserved character inserted into the path. */
    PATH_INSERT,
    /** A query parameter added (a sub-resource keyword or a plain one). */
    QUERY_ADD,
    /** A query parameter removed. */
    QUERY_DROP,
    /** One letter or digit of the query replaced. */
    QUERY_CHAR,
    /** A query parameter sent twice. */
    QUERY_DUPLICATE,
    /** One letter or digit of a signed header's value replaced. */
    HEADER_CHAR,
    /** A control, DEL or non-ASCII character put into a signed header's value. */
    HEADER_CONTROL,
    /** One letter of a signed header's name replaced. */
    HEADER_NAME_CHAR,
    /** A control, DEL, space or non-ASCII character put inside the request target. */
    TARGET_CONTROL,
    /** A signed header left out. */
    HEADER_DROP,
    /** A signed header sent a second time with another value. */
    HEADER_DUPLICATE,
    /** An x-amz- header added that the signature does not cover. */
    HEADER_UNSIGNED_AMZ,
    /** The signing time moved by up to a minute. */
    DATE_SHIFT,
    /** One hex digit of the signature replaced. */
    SIGNATURE_CHAR,
    /** One letter or digit of the credential (access key, date, region, service) replaced. */
    CREDENTIAL_CHAR,
    /** A header name dropped from, or added to, SignedHeaders. */
    SIGNED_HEADERS,
    /** One body byte changed. */
    BODY_BYTE,
    /** The body cut short, Content-Length kept (the sender then shuts its side down). */
    BODY_TRUNCATE,
    /** The body cut short and Content-Length lowered to match. */
    BODY_TRUNCATE_WITH_LENGTH,
    /** Bytes added to the body and Content-Length raised to match. */
    BODY_EXTEND_WITH_LENGTH,
    /** Content-Length raised alone (the sender then shuts its side down). */
    LENGTH_UP,
    /** Content-Length lowered alone: the rest of the body arrives as a next request. */
    LENGTH_DOWN,
    /** Sent with HTTP chunked transfer coding instead of Content-Length, one chunk-size line broken. */
    TRANSFER_CHUNKED_BROKEN,
    /** Sent with HTTP chunked transfer coding instead of Content-Length, cut before its last chunk. */
    TRANSFER_CHUNKED_TRUNCATED;

    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String HEX = "0123456789abcdef";

    /** A changed request and whether the sender must shut its side down (the node would wait for more). */
    record Mutated(Request request, boolean halfClose) {
    }

    /**
     * Whether this change applies to the request. The body changes need a body whose length the
     * signature covers: a body added to a request signed without one is not covered by anything
     * (Content-Length was not signed, and operations without a payload do not read it), so such a
     * request would stay valid.
     */
    boolean appliesTo(Request r) {
        return switch (this) {
            case BODY_BYTE, BODY_TRUNCATE, BODY_TRUNCATE_WITH_LENGTH, BODY_EXTEND_WITH_LENGTH, LENGTH_UP, LENGTH_DOWN,
                 TRANSFER_CHUNKED_BROKEN, TRANSFER_CHUNKED_TRUNCATED -> r.body().length > 0 && r.signs("content-length");
            default -> true;
        };
    }

    Mutated apply(Request r, Random rnd) {
        return switch (this) {
            case METHOD -> {
                List<String> others = new ArrayList<>(List.of("GET", "PUT", "POST", "DELETE", "HEAD", "PATCH",
                        "OPTIONS", "FROB"));
                others.remove(r.method());
                yield plain(r.withMethod(others.get(rnd.nextInt(others.size()))));
            }
            case METHOD_CASE -> plain(r.withMethod(r.method().toLowerCase(Locale.ROOT)));
            case PATH_CHAR -> plain(r.withTarget(path(r).isEmpty() ? r.target()
                    : replaceAlnum(path(r), rnd, 1) + queryPart(r)));
            case PATH_DELETE -> {
                String p = path(r);
                int i = 1 + rnd.nextInt(Math.max(1, p.length() - 1));
                yield plain(r.withTarget(p.length() > 1 ? p.substring(0, i) + p.substring(i + 1) + queryPart(r)
                        : "/x" + queryPart(r)));
            }
            case PATH_INSERT -> {
                String p = path(r);
                int i = 1 + rnd.nextInt(p.length());
                char c = "aZ9-_.~/".charAt(rnd.nextInt(8));
                yield plain(r.withTarget(p.substring(0, i) + c + p.substring(i) + queryPart(r)));
            }
            case QUERY_ADD -> {
                String param = List.of("x-fuzz=1", "acl", "uploads", "delete", "versioning", "partNumber=9",
                        "uploadId=nope", "list-type=2", "location").get(rnd.nextInt(9));
                String q = query(r);
                yield plain(r.withTarget(path(r) + "?" + (q.isEmpty() ? param : q + "&" + param)));
            }
            case QUERY_DROP -> {
                List<String> params = params(r);
                if (params.isEmpty()) {
                    yield QUERY_ADD.apply(r, rnd);
                }
                params.remove(rnd.nextInt(params.size()));
                yield plain(r.withTarget(path(r) + (params.isEmpty() ? "" : "?" + String.join("&", params))));
            }
            case QUERY_CHAR -> query(r).isEmpty() ? QUERY_ADD.apply(r, rnd)
                    : plain(r.withTarget(path(r) + "?" + replaceAlnum(query(r), rnd, 0)));
            case QUERY_DUPLICATE -> {
                List<String> params = params(r);
                if (params.isEmpty()) {
                    yield QUERY_ADD.apply(r, rnd);
                }
                params.add(params.get(rnd.nextInt(params.size())));
                yield plain(r.withTarget(path(r) + "?" + String.join("&", params)));
            }
            case HEADER_CHAR -> {
                Map.Entry<String, String> h = signedHeader(r, rnd);
                String v = h.getValue();
                yield framed(r.withHeader(h.getKey(), v.isBlank() ? "x" : replaceAlnum(v, rnd, 0)));
            }
            case HEADER_CONTROL -> {
                Map.Entry<String, String> h = signedHeader(r, rnd);
                String v = h.getValue();
                int i = rnd.nextInt(v.length() + 1);
                yield framed(r.withHeader(h.getKey(), v.substring(0, i) + controlChar(rnd) + v.substring(i)));
            }
            case HEADER_NAME_CHAR -> {
                Map.Entry<String, String> h = signedHeader(r, rnd);
                List<Map.Entry<String, String>> lines = new ArrayList<>(r.headers());
                int at = lines.indexOf(h);
                lines.set(at, Map.entry(replaceAlnum(h.getKey(), rnd, 0), h.getValue()));
                yield framed(r.withHeaders(lines));
            }
            case TARGET_CONTROL -> {
                // Never at the end: Netty reads extra whitespace between the target and the version as a separator.
                String t = r.target();
                int i = 1 + rnd.nextInt(t.length() - 1);
                char c = rnd.nextInt(4) == 0 ? ' ' : controlChar(rnd);
                yield plain(r.withTarget(t.substring(0, i) + c + t.substring(i)));
            }
            case HEADER_DROP -> framed(r.withoutHeader(signedHeader(r, rnd).getKey()));
            case HEADER_DUPLICATE -> {
                Map.Entry<String, String> h = signedHeader(r, rnd);
                List<Map.Entry<String, String>> lines = new ArrayList<>(r.headers());
                lines.add(Map.entry(h.getKey(), h.getValue() + "0"));
                yield framed(r.withHeaders(lines));
            }
            case HEADER_UNSIGNED_AMZ -> {
                List<Map.Entry<String, String>> lines = new ArrayList<>(r.headers());
                lines.add(Map.entry(List.of("x-amz-meta-extra", "x-amz-acl", "X-Amz-Tagging").get(rnd.nextInt(3)),
                        "v"));
                yield plain(r.withHeaders(lines));
            }
            case DATE_SHIFT -> {
                Instant t = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX").parse(r.header("X-Amz-Date"), Instant::from);
                int by = (1 + rnd.nextInt(60)) * (rnd.nextBoolean() ? 1 : -1);
                String shifted = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                        .format(t.plusSeconds(by));
                yield plain(r.withHeader("X-Amz-Date", shifted));
            }
            case SIGNATURE_CHAR -> {
                String a = r.header("Authorization");
                int i = a.indexOf("Signature=") + "Signature=".length() + rnd.nextInt(64);
                char c = a.charAt(i);
                char other = HEX.replace(String.valueOf(c), "").charAt(rnd.nextInt(15));
                yield plain(r.withHeader("Authorization", a.substring(0, i) + other + a.substring(i + 1)));
            }
            case CREDENTIAL_CHAR -> {
                String a = r.header("Authorization");
                int start = a.indexOf("Credential=") + "Credential=".length();
                int end = a.indexOf(',', start);
                String changed = replaceAlnum(a.substring(start, end), rnd, 0);
                yield plain(r.withHeader("Authorization", a.substring(0, start) + changed + a.substring(end)));
            }
            case SIGNED_HEADERS -> {
                String a = r.header("Authorization");
                int start = a.indexOf("SignedHeaders=") + "SignedHeaders=".length();
                int end = a.indexOf(',', start);
                List<String> names = new ArrayList<>(Arrays.asList(a.substring(start, end).split(";")));
                if (rnd.nextBoolean() && names.size() > 1) {
                    names.remove(rnd.nextInt(names.size()));
                } else {
                    names.add("user-agent");
                    names.sort(null);
                }
                yield plain(r.withHeader("Authorization", a.substring(0, start) + String.join(";", names)
                        + a.substring(end)));
            }
            case BODY_BYTE -> {
                byte[] b = r.body().clone();
                b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                yield plain(r.withBody(b));
            }
            case BODY_TRUNCATE -> new Mutated(r.withBody(Arrays.copyOf(r.body(), rnd.nextInt(r.body().length))), true);
            case BODY_TRUNCATE_WITH_LENGTH -> {
                byte[] b = Arrays.copyOf(r.body(), rnd.nextInt(r.body().length));
                yield plain(r.withBody(b).withHeader("Content-Length", Integer.toString(b.length)));
            }
            case BODY_EXTEND_WITH_LENGTH -> {
                byte[] extra = new byte[1 + rnd.nextInt(100)];
                rnd.nextBytes(extra);
                byte[] b = Arrays.copyOf(r.body(), r.body().length + extra.length);
                System.arraycopy(extra, 0, b, r.body().length, extra.length);
                yield plain(r.withBody(b).withHeader("Content-Length", Integer.toString(b.length)));
            }
            case LENGTH_UP -> new Mutated(r.withHeader("Content-Length",
                    Integer.toString(r.body().length + 1 + rnd.nextInt(1000))), true);
            case LENGTH_DOWN -> plain(r.withHeader("Content-Length", Integer.toString(rnd.nextInt(r.body().length))));
            case TRANSFER_CHUNKED_BROKEN -> {
                byte[] body = httpChunked(r.body(), rnd, true);
                yield new Mutated(r.withoutHeader("Content-Length").withHeader("Transfer-Encoding", "chunked")
                        .withBody(body), true);
            }
            case TRANSFER_CHUNKED_TRUNCATED -> {
                byte[] body = httpChunked(r.body(), rnd, false);
                yield new Mutated(r.withoutHeader("Content-Length").withHeader("Transfer-Encoding", "chunked")
                        .withBody(body), true);
            }
        };
    }

    /** A character no valid request carries raw: NUL, controls, DEL, Latin-1 and beyond (sent as UTF-8). */
    private static char controlChar(Random rnd) {
        char[] cs = {'\u0000', '\u0001', '\u0007', '\u000b', '\u000c', '\u001b', '\u007f', '\u00a0', '\u00ff', '\u20ac'};
        return cs[rnd.nextInt(cs.length)];
    }

    private static Mutated plain(Request r) {
        return new Mutated(r, false);
    }

    /** After a header change: if Content-Length now promises more than the body, the node would wait. */
    private static Mutated framed(Request r) {
        String cl = r.header("Content-Length");
        boolean waits;
        try {
            waits = cl != null && Long.parseLong(cl.trim()) > r.body().length;
        } catch (NumberFormatException e) {
            waits = true;
        }
        return new Mutated(r, waits);
    }

    /** The body in HTTP chunks; either one size line is garbage, or the terminating chunk is missing. */
    private static byte[] httpChunked(byte[] body, Random rnd, boolean brokenSizeLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int chunks = 1 + rnd.nextInt(4);
        int broken = rnd.nextInt(chunks + 1);
        int off = 0;
        for (int c = 0; c < chunks && off < body.length; c++) {
            int n = c == chunks - 1 ? body.length - off : Math.min(body.length - off, 1 + rnd.nextInt(body.length));
            String size = brokenSizeLine && c == broken ? "z" + Integer.toHexString(n) : Integer.toHexString(n);
            out.writeBytes((size + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            off += n;
        }
        if (brokenSizeLine && broken >= chunks) {
            out.writeBytes("-1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else if (brokenSizeLine) {
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static Map.Entry<String, String> signedHeader(Request r, Random rnd) {
        List<Map.Entry<String, String>> signed = new ArrayList<>();
        for (Map.Entry<String, String> h : r.headers()) {
            if (r.signs(h.getKey())) {
                signed.add(h);
            }
        }
        return signed.get(rnd.nextInt(signed.size()));
    }

    private static String path(Request r) {
        int q = r.target().indexOf('?');
        return q < 0 ? r.target() : r.target().substring(0, q);
    }

    private static String query(Request r) {
        int q = r.target().indexOf('?');
        return q < 0 ? "" : r.target().substring(q + 1);
    }

    private static String queryPart(Request r) {
        String q = query(r);
        return q.isEmpty() ? "" : "?" + q;
    }

    private static List<String> params(Request r) {
        List<String> out = new ArrayList<>();
        for (String p : query(r).split("&")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Replaces one ASCII letter or digit at or after {@code from} (never one of the two hex digits of a
     * percent escape) with another letter or digit; appends one when there is none.
     */
    static String replaceAlnum(String s, Random rnd, int from) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escaped = (i >= 1 && s.charAt(i - 1) == '%') || (i >= 2 && s.charAt(i - 2) == '%');
            if (c < 0x80 && Character.isLetterOrDigit(c) && !escaped) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return s + "q";
        }
        int i = candidates.get(rnd.nextInt(candidates.size()));
        char c = s.charAt(i);
        // never the same letter in the other case: header names are case-insensitive, so that would be no change
        String others = ALNUM.replace(String.valueOf(Character.toLowerCase(c)), "")
                .replace(String.valueOf(Character.toUpperCase(c)), "");
        char other = others.charAt(rnd.nextInt(others.length()));
        return s.substring(0, i) + other + s.substring(i + 1);
    }
}
