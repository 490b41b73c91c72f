package io.tessera.server;

import io.tessera.server.observe.AccessLogFormat;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a node is operated, beside what it serves: its admin listener and its access log. The admin API
 * accepts the node's admin keys ({@link ServerConfig#credentials()}) and no other. Immutable; the
 * {@code with*} methods return changed copies.
 *
 * @param adminListen   the admin listener's address (health, metrics, admin API), or null for none
 * @param accessLog     how S3 requests are logged
 * @param accessLogSink where access log lines go, or null for the {@code tessera.access} logger
 */
public record OpsConfig(InetSocketAddress adminListen, AccessLogFormat accessLog, Consumer<String> accessLogSink) {
    /** The default admin address: loopback only, next to the S3 port's default. */
    public static final String DEFAULT_ADMIN_LISTEN = "127.0.0.1:9001";

    public OpsConfig {
        Objects.requireNonNull(accessLog, "accessLog");
    }

    /** No admin listener, no access log. */
    public static OpsConfig none() {
        return new OpsConfig(null, AccessLogFormat.OFF, null);
    }

    public OpsConfig withAdminListen(InetSocketAddress a) {
        return new OpsConfig(a, accessLog, accessLogSink);
    }

    public OpsConfig withAccessLog(AccessLogFormat f) {
        return new OpsConfig(adminListen, f, accessLogSink);
    }

    /** Access log lines go to {@code sink} instead of the logger (tests, embedding). */
    public OpsConfig withAccessLogSink(Consumer<String> sink) {
        return new OpsConfig(adminListen, accessLog, sink);
    }
}
