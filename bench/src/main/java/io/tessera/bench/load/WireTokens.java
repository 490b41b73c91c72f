package io.tessera.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the {@code x-amz-content-sha256} values of the UploadPart requests a client sends, as the
 * SDK hands them to the HTTP client after signing, so the driver can check that a payload mode is
 * what it claims to be. Thread-safe.
 */
final class WireTokens implements ExecutionInterceptor {
    private static final String HEADER = "x-amz-content-sha256";
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if ("UploadPart".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            String token = context.httpRequest().firstMatchingHeader(HEADER).orElse("(none)");
            counts.computeIfAbsent(token, k -> new LongAdder()).increment();
        }
    }

    /** The values seen so far and how often, sorted by value. */
    Map<String, Long> seen() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
