package io.tessera.server.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per S3 request, to the logger {@value #LOGGER} (its own appender in {@code logback.xml}) or
 * to any line sink. Fields: time, request id, access key id, operation, bucket, key, status, S3 error
 * code, bytes in, bytes out, duration in milliseconds.
 *
 * <p>{@link AccessLogFormat#TEXT} separates fields by one space and writes {@code -} for an absent
 * value; the key id, bucket and key are percent-encoded (UTF-8, everything but unreserved characters
 * and {@code /}), so that a line always has eleven fields whatever a client sent, and bytes out is
 * {@code -} when the answer was cut off. {@link AccessLogFormat#JSON} writes one object per line with
 * the same fields under snake_case names, values as sent, {@code null} when absent, plus
 * {@code method} and {@code complete}.
 *
 * <p>Thread-safe.
 */
public final class AccessLog implements RequestListener {
    public static final String LOGGER = "tessera.access";
    private static final JsonFactory JSON = new JsonFactory();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final AccessLogFormat format;
    private final Consumer<String> out;

    public AccessLog(AccessLogFormat format, Consumer<String> out) {
        if (format == AccessLogFormat.OFF) {
            throw new IllegalArgumentException("an access log that is off is no access log");
        }
        this.format = format;
        this.out = out;
    }

    /** An access log written to the {@value #LOGGER} logger at INFO. */
    public static AccessLog toLogger(AccessLogFormat format) {
        Logger log = LoggerFactory.getLogger(LOGGER);
        return new AccessLog(format, log::info);
    }

    @Override
    public void completed(RequestRecord r) {
        out.accept(format == AccessLogFormat.JSON ? json(r) : text(r));
    }

    /** The text line of a request. */
    static String text(RequestRecord r) {
        StringBuilder b = new StringBuilder(160);
        b.append(r.time()).append(' ');
        field(b, r.requestId());
        encoded(b, r.accessKeyId());
        field(b, r.operation());
        encoded(b, r.bucket());
        encoded(b, r.key());
        b.append(r.status()).append(' ');
        field(b, r.errorCode());
        b.append(r.bytesIn()).append(' ');
        if (r.complete()) {
            b.append(r.bytesOut()).append(' ');
        } else {
            b.append("- ");
        }
        b.append(millis(r.durationNanos()));
        return b.toString();
    }

    /** The JSON line of a request. */
    static String json(RequestRecord r) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("time", r.time().toString());
            g.writeStringField("request_id", r.requestId());
            g.writeStringField("key_id", r.accessKeyId());
            g.writeStringField("operation", r.operation());
            g.writeStringField("method", r.method());
            g.writeStringField("bucket", r.bucket());
            g.writeStringField("key", r.key());
            g.writeNumberField("status", r.status());
            g.writeStringField("error", r.errorCode());
            g.writeNumberField("bytes_in", r.bytesIn());
            g.writeNumberField("bytes_out", r.bytesOut());
            g.writeNumberField("duration_ms", millis(r.durationNanos()));
            g.writeBooleanField("complete", r.complete());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** Milliseconds with microsecond precision. */
    private static BigDecimal millis(long nanos) {
        return BigDecimal.valueOf(nanos / 1000, 3);
    }

    private static void field(StringBuilder b, String value) {
        b.append(value == null || value.isEmpty() ? "-" : value).append(' ');
    }

    private static void encoded(StringBuilder b, String value) {
        if (value == null || value.isEmpty()) {
            b.append("- ");
            return;
        }
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~' || c == '/') {
                b.append((char) c);
            } else {
                b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        b.append(' ');
    }
}
