package io.tessera.engine.object;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** S3 entity tags: quoted lower-case MD5 hex, and the multipart form "md5-of-md5s-N". */
public final class Etags {
    private static final HexFormat HEX = HexFormat.of();

    private Etags() {
    }

    public static String of(byte[] md5) {
        return '"' + HEX.formatHex(md5) + '"';
    }

    /** Removes surrounding quotes (clients send ETags with or without them) and lower-cases. */
    public static String normalize(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        if (e.startsWith("&quot;") && e.endsWith("&quot;") && e.length() >= 12) {
            e = e.substring(6, e.length() - 6);
        }
        return e.toLowerCase(java.util.Locale.ROOT);
    }

    public static boolean matches(String stored, String given) {
        return normalize(stored).equals(normalize(given));
    }

    /** MD5 of the concatenated binary part MD5s, hex, then "-" and the number of parts. */
    public static String multipart(List<String> partEtags) {
        MessageDigest md = md5();
        for (String e : partEtags) {
            md.update(HEX.parseHex(normalize(e)));
        }
        return "\"" + HEX.formatHex(md.digest()) + "-" + partEtags.size() + "\"";
    }

    public static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
