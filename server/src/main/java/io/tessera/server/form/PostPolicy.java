package io.tessera.server.form;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The policy document of a browser form upload: base64 of {@code {"expiration": "...", "conditions": [...]}}
 * and its evaluation against the form's fields, as S3 does it. Conditions are {@code {"field": "value"}}
 * (exact match), {@code ["eq", "$field", "value"]}, {@code ["starts-with", "$field", "prefix"]} and
 * {@code ["content-length-range", min, max]}; field names match case-insensitively, values case-sensitively.
 * Every form field needs a condition, except {@code policy}, {@code x-amz-signature}, {@code file} and
 * {@code x-ignore-*}. Immutable.
 */
public final class PostPolicy {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Set<String> UNCHECKED = Set.of("policy", "x-amz-signature", "file");
    private static final String DENIED = "Invalid according to Policy: ";

    /** An inclusive range of sizes the file may have. */
    public record LengthRange(long min, long max) {
    }

    private record Condition(String operator, String field, String value, String rendered) {
    }

    private final Instant expiration;
    private final List<Condition> conditions;
    private final LengthRange lengthRange;

    private PostPolicy(Instant expiration, List<Condition> conditions, LengthRange lengthRange) {
        this.expiration = expiration;
        this.conditions = conditions;
        this.lengthRange = lengthRange;
    }

    /**
     * Parses the {@code policy} field.
     *
     * @throws S3Exception {@code InvalidPolicyDocument} when it is not base64 of a JSON object with an
     *     {@code expiration} timestamp and a {@code conditions} array of well-formed conditions
     */
    public static PostPolicy parse(String base64) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw invalid("Invalid Policy: Invalid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw invalid("Invalid Policy: Invalid JSON.");
        }
        JsonNode exp = root.get("expiration");
        if (exp == null || !exp.isTextual()) {
            throw invalid("Invalid Policy: Policy missing expiration.");
        }
        Instant expiration;
        try {
            expiration = Instant.parse(exp.asText());
        } catch (DateTimeParseException e) {
            throw invalid("Invalid Policy: Invalid 'expiration' value: '" + exp.asText() + "'");
        }
        JsonNode conds = root.get("conditions");
        if (conds == null || !conds.isArray()) {
            throw invalid("Invalid Policy: Policy missing conditions.");
        }
        List<Condition> conditions = new ArrayList<>();
        LengthRange range = null;
        for (JsonNode c : conds) {
            if (c.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> it = c.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isValueNode()) {
                        throw invalid("Invalid Policy: Invalid Simple-Condition: value must be a string.");
                    }
                    String field = e.getKey().toLowerCase(Locale.ROOT);
                    conditions.add(new Condition("eq", field, e.getValue().asText(),
                            "[\"eq\", \"$" + e.getKey() + "\", \"" + e.getValue().asText() + "\"]"));
                }
            } else if (c.isArray() && c.size() == 3 && c.get(0).isTextual()) {
                String op = c.get(0).asText().toLowerCase(Locale.ROOT);
                if (op.equals("content-length-range")) {
                    long min = number(c.get(1));
                    long max = number(c.get(2));
                    if (min < 0 || max < min) {
                        throw invalid("Invalid Policy: Invalid content-length-range.");
                    }
                    range = new LengthRange(min, max);
                } else if (op.equals("eq") || op.equals("starts-with")) {
                    String name = c.get(1).asText();
                    if (!name.startsWith("$") || !c.get(2).isValueNode()) {
                        throw invalid("Invalid Policy: Invalid " + op + " condition.");
                    }
                    conditions.add(new Condition(op, name.substring(1).toLowerCase(Locale.ROOT), c.get(2).asText(),
                            "[\"" + c.get(0).asText() + "\", \"" + name + "\", \"" + c.get(2).asText() + "\"]"));
                } else {
                    throw invalid("Invalid Policy: Invalid condition operator: " + c.get(0).asText());
                }
            } else {
                throw invalid("Invalid Policy: Invalid condition.");
            }
        }
        return new PostPolicy(expiration, List.copyOf(conditions), range);
    }

    private static long number(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText().trim());
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw invalid("Invalid Policy: Invalid content-length-range.");
    }

    public Instant expiration() {
        return expiration;
    }

    /** The sizes the file may have, or null when the policy does not say. */
    public LengthRange lengthRange() {
        return lengthRange;
    }

    /**
     * Checks the form against the policy at {@code now}.
     *
     * @param fields the form's fields before the file, with lower-case names
     * @param bucket the bucket of the request, which the {@code bucket} condition checks
     * @throws S3Exception {@code AccessDenied} "Invalid according to Policy: ..." when the policy expired, a
     *     condition fails or a field has no condition
     */
    public void check(Map<String, String> fields, String bucket, Instant now) {
        if (!now.isBefore(expiration)) {
            throw denied("Policy expired.");
        }
        for (Condition c : conditions) {
            String actual = c.field().equals("bucket") ? bucket : fields.get(c.field());
            boolean ok = actual != null && (c.operator().equals("eq") ? actual.equals(c.value())
                    : actual.startsWith(c.value()));
            if (!ok) {
                throw denied("Policy Condition failed: " + c.rendered());
            }
        }
        for (String name : fields.keySet()) {
            if (UNCHECKED.contains(name) || name.startsWith("x-ignore-")) {
                continue;
            }
            if (conditions.stream().noneMatch(c -> c.field().equals(name))) {
                throw denied("Extra input fields: " + name);
            }
        }
    }

    private static S3Exception denied(String why) {
        return new S3Exception(S3ErrorCode.ACCESS_DENIED, DENIED + why);
    }

    private static S3Exception invalid(String message) {
        return new S3Exception(S3ErrorCode.INVALID_POLICY_DOCUMENT, message);
    }
}
