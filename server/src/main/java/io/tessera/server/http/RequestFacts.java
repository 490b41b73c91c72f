package io.tessera.server.http;

/**
 * What the S3 layers learned about a request, for metrics and the access log. Any component is null
 * when the request failed before it was known (for instance an unknown key has no operation yet).
 *
 * @param accessKeyId the access key the request was signed with (or claimed to be)
 * @param operation   the S3 operation (an AWS API action name such as {@code PutObject})
 * @param bucket      the bucket, or null for the service or when unknown
 * @param key         the object key, or null
 */
public record RequestFacts(String accessKeyId, String operation, String bucket, String key) {
}
