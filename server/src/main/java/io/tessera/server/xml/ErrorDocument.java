package io.tessera.server.xml;

import io.tessera.server.error.S3Exception;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code <Error>} body of a failed request (no namespace on the root): {@code Code}, {@code Message}, the
 * detail elements in map order, {@code Resource}?, {@code RequestId}?, {@code HostId}?.
 *
 * @param code the AWS error code
 * @param message human-readable text
 * @param details extra elements such as {@code UploadId}, {@code Key}, {@code BucketName}; names that are not
 *     plain XML names or that clash with the fixed elements are dropped
 * @param resource the resource, e.g. {@code /bucket/key}, or null
 * @param requestId the request id, or null
 * @param hostId the host id, or null
 */
public record ErrorDocument(String code, String message, Map<String, String> details, String resource,
        String requestId, String hostId) implements S3XmlDocument {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Set<String> FIXED = Set.of("Code", "Message", "Resource", "RequestId", "HostId");

    public ErrorDocument {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
        Map<String, String> kept = new LinkedHashMap<>();
        if (details != null) {
            details.forEach((name, value) -> {
                if (name != null && value != null && NAME.matcher(name).matches() && !FIXED.contains(name)) {
                    kept.put(name, value);
                }
            });
        }
        details = Collections.unmodifiableMap(kept);
    }

    /** The error document for {@code e}: its AWS code, message and details. */
    public static ErrorDocument of(S3Exception e, String resource, String requestId, String hostId) {
        return new ErrorDocument(e.code().awsCode(), e.getMessage(), e.details(), resource, requestId, hostId);
    }

    @Override
    public String rootElement() {
        return "Error";
    }
}
