package io.tessera.server.handler;

import io.tessera.engine.ObjectMetadata;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.route.ObjectKeys;
import io.tessera.server.xml.S3Xml;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of a browser form upload that come before its file, with lower-case names (S3 matches them
 * case-insensitively), and what they ask for: the key, the object's metadata, tags and ACL, and how to
 * answer. Not thread-safe: one per request.
 */
final class FormFields {
    static final List<String> SIGNATURE_FIELDS = List.of("x-amz-algorithm", "x-amz-credential", "x-amz-date",
            "x-amz-signature");
    private static final List<String> STORED = List.of("content-type", "cache-control", "content-disposition",
            "content-encoding", "expires", "x-amz-website-redirect-location", "x-amz-storage-class");

    private final Map<String, String> fields = new LinkedHashMap<>();

    /** Adds a field; a repeated name keeps its first value. */
    void add(String name, String value) {
        fields.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
    }

    Map<String, String> asMap() {
        return fields;
    }

    String get(String name) {
        return fields.get(name);
    }

    /** A field that must be there, with S3's message for a missing one. */
    String required(String name) {
        String v = fields.get(name);
        if (v == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Bucket POST must contain a field named '" + name
                    + "'.  If it is specified, please check the order of the fields.")
                    .with("ArgumentName", name).with("ArgumentValue", "");
        }
        return v;
    }

    /** The object key: the {@code key} field with {@code ${filename}} replaced by the file's name. */
    String key(String filename) {
        String key = required("key");
        if (key.contains("${filename}")) {
            String name = filename == null ? "" : filename;
            name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
            key = key.replace("${filename}", name);
        }
        if (key.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "User key must have a length greater than 0.")
                    .with("ArgumentName", "key").with("ArgumentValue", key);
        }
        return ObjectKeys.validate(key);
    }

    /** The metadata, tags and ACL the fields ask to store. */
    ObjectMetadata metadata() {
        Map<String, String> out = new TreeMap<>();
        int userBytes = 0;
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String name = f.getKey();
            if (name.startsWith("x-amz-server-side-encryption") || name.startsWith("x-amz-checksum-")) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "The form field " + name + " is not implemented.")
                        .with("Header", name);
            }
            if (name.startsWith(MetadataHeaders.USER_PREFIX)) {
                out.put(name, f.getValue());
                userBytes += name.length() - MetadataHeaders.USER_PREFIX.length()
                        + f.getValue().getBytes(StandardCharsets.UTF_8).length;
            } else if (STORED.contains(name)
                    && !(name.equals("x-amz-storage-class") && f.getValue().equalsIgnoreCase("STANDARD"))) {
                out.put(name, f.getValue());
            }
        }
        if (userBytes > MetadataHeaders.MAX_USER_METADATA_BYTES) {
            throw new S3Exception(S3ErrorCode.METADATA_TOO_LARGE).with("Size", Integer.toString(userBytes))
                    .with("MaxSizeAllowed", Integer.toString(MetadataHeaders.MAX_USER_METADATA_BYTES));
        }
        ObjectMetadata m = new ObjectMetadata(out);
        String tagging = fields.get("tagging");
        if (tagging != null) {
            Tags tags = Tags.fromXml(S3Xml.parseTagging(tagging.getBytes(StandardCharsets.UTF_8)), Tags.MAX_OBJECT_TAGS);
            m = ReservedMetadata.with(m, ReservedMetadata.TAGGING, tags.isEmpty() ? null : tags.encode());
        }
        String acl = fields.get("acl");
        if (acl != null) {
            m = ReservedMetadata.with(m, ReservedMetadata.ACL, CannedAcl.parse(acl.trim(), true).stored());
        }
        return m;
    }

    /** {@code success_action_redirect} (or the older {@code redirect}) if it is an absolute http(s) URL, else null. */
    URI redirect() {
        String v = fields.getOrDefault("success_action_redirect", fields.get("redirect"));
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(v.trim());
            String scheme = uri.getScheme();
            return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && uri.getHost() != null ? uri : null;
        } catch (java.net.URISyntaxException e) {
            return null; // S3 ignores a redirect it cannot parse
        }
    }

    /** The status {@code success_action_status} asks for: 200 or 201, else 204. */
    int successStatus() {
        String v = fields.get("success_action_status");
        return "200".equals(v) ? 200 : "201".equals(v) ? 201 : 204;
    }
}
