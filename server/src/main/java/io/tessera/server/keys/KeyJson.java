package io.tessera.server.keys;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key file's JSON form (read when a data directory's old key file is imported), and the document
 * of one key in the replicated state:
 *
 * <pre>{@code
 * {"format": 1, "keys": [{"accessKeyId": "TSR…", "secretKey": "…", "name": "backup",
 *   "ownerId": "<64 hex>", "ownerDisplayName": "backup", "created": "2025-01-01T00:00:00Z",
 *   "buckets": {"photos": ["read", "write", "owner"]}}]}
 * }</pre>
 *
 * <p>Errors name the file's line and column or the key's position, never a value from the file: a
 * secret must not reach a log through a parse error. Stateless and thread-safe.
 */
final class KeyJson {
    static final int FORMAT = 1;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private KeyJson() {
    }

    static byte[] write(KeySet set) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode keys = root.putArray("keys");
        for (AccessKey k : set.keys()) {
            ObjectNode n = keys.addObject();
            n.put("accessKeyId", k.accessKeyId());
            fields(n, k);
            ObjectNode buckets = n.putObject("buckets");
            for (Map.Entry<String, Permissions> b : k.buckets().entrySet()) {
                ArrayNode perms = buckets.putArray(b.getKey());
                b.getValue().names().forEach(perms::add);
            }
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the key file", e);
        }
    }

    private static void fields(ObjectNode n, AccessKey k) {
        n.put("secretKey", k.secretKey());
        n.put("name", k.name());
        n.put("ownerId", k.ownerId());
        n.put("ownerDisplayName", k.ownerDisplayName());
        n.put("created", k.created().toString());
    }

    /**
     * A key's document in the replicated state: its entry of the key file without its id (the row's key)
     * and grants (rows of their own), on one line: {@code {"format":1,"secretKey":…,"name":…,"ownerId":…,
     * "ownerDisplayName":…,"created":…}}.
     */
    static byte[] document(AccessKey k) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", FORMAT);
        fields(n, k);
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render key " + k.accessKeyId(), e);
        }
    }

    /**
     * The key {@code accessKeyId} from its {@link #document} and its grants.
     *
     * @throws IllegalArgumentException when the document is not one (the message never quotes it)
     */
    static AccessKey fromDocument(String accessKeyId, byte[] document, Map<String, Permissions> grants) {
        String where = "key " + accessKeyId;
        JsonNode n;
        try {
            n = MAPPER.readTree(document);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": its document is not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(where + ": its document is not a JSON object");
        }
        JsonNode format = n.get("format");
        if (format == null || !format.isInt() || format.intValue() != FORMAT) {
            throw new IllegalArgumentException(where + ": its document's format must be " + FORMAT);
        }
        return new AccessKey(accessKeyId, text(n, "secretKey", where), optional(n, "name", where),
                text(n, "ownerId", where), text(n, "ownerDisplayName", where), created(n, where),
                new TreeMap<>(grants));
    }

    private static Instant created(JsonNode n, String where) {
        try {
            return Instant.parse(text(n, "created", where));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": created is not an ISO-8601 instant");
        }
    }

    /**
     * Parses a key file.
     *
     * @throws IllegalArgumentException when it is not a key file this version understands (the message
     *     says where, without quoting the file)
     */
    static KeySet read(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("not valid JSON" + (at == null ? ""
                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isInt() || format.intValue() != FORMAT) {
            throw new IllegalArgumentException("format must be " + FORMAT);
        }
        JsonNode keys = root.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new IllegalArgumentException("keys must be an array");
        }
        List<AccessKey> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : keys) {
            i++;
            out.add(key(n, "key " + i));
        }
        return KeySet.of(out);
    }

    private static AccessKey key(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        String id = text(n, "accessKeyId", where);
        where = where + " (" + id + ")";
        Instant created = created(n, where);
        TreeMap<String, Permissions> buckets = new TreeMap<>();
        JsonNode b = n.get("buckets");
        if (b != null && !b.isNull()) {
            if (!b.isObject()) {
                throw new IllegalArgumentException(where + ": buckets must be an object");
            }
            Iterator<Map.Entry<String, JsonNode>> it = b.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                buckets.put(e.getKey(), permissions(e.getValue(), where + ", bucket " + e.getKey()));
            }
        }
        return new AccessKey(id, text(n, "secretKey", where), optional(n, "name", where), text(n, "ownerId", where),
                text(n, "ownerDisplayName", where), created, buckets);
    }

    private static Permissions permissions(JsonNode n, String where) {
        if (!n.isArray()) {
            throw new IllegalArgumentException(where + ": permissions must be an array of read, write, owner");
        }
        Permissions p = Permissions.NONE;
        for (JsonNode v : n) {
            Access a = null;
            for (Access c : Access.values()) {
                if (v.isTextual() && Permissions.name(c).equals(v.textValue())) {
                    a = c;
                }
            }
            if (a == null) {
                throw new IllegalArgumentException(where + ": permissions must be among read, write, owner");
            }
            p = p.plus(Permissions.of(a));
        }
        return p;
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw new IllegalArgumentException(where + ": " + field + " is missing or not a string");
        }
        return v.textValue();
    }

    private static String optional(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + ": " + field + " is not a string");
        }
        return v.textValue();
    }
}
