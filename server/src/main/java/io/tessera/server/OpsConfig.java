package io.tessera.server;

import io.tessera.server.console.ConsoleConfig;
import io.tessera.server.observe.AccessLogFormat;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a node is operated, beside what it serves: its admin listener (with the web console) and its access
 * log. The admin API and the console accept the node's admin keys ({@link ServerConfig#credentials()}) and no
 * other. Immutable; the {@code with*} methods return changed copies.
 *
 * @param adminListen   the admin listener's address (health, metrics, admin API), or null for none
 * @param accessLog     how S3 requests are logged
 * @param accessLogSink where access log lines go, or null for the {@code tessera.access} logger
 * @param console       the web console on the admin listener (when there is one)
 */
public record OpsConfig(InetSocketAddress adminListen, AccessLogFormat accessLog, Consumer<String> accessLogSink,
                        ConsoleConfig console) {
    /** The default admin address: loopback only, next to the S3 port's default. */
    public static final String DEFAULT_ADMIN_LISTEN = "127.0.0.1:9001";

    public OpsConfig {
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(console, "console");
    }

    /** No admin listener (so no console), no access log. */
    public static OpsConfig none() {
        return new OpsConfig(null, AccessLogFormat.OFF, null, ConsoleConfig.defaults());
    }

    public OpsConfig withAdminListen(InetSocketAddress a) {
        return new OpsConfig(a, accessLog, accessLogSink, console);
    }

    public OpsConfig withAccessLog(AccessLogFormat f) {
        return new OpsConfig(adminListen, f, accessLogSink, console);
    }

    /** Access log lines go to {@code sink} instead of the logger (tests, embedding). */
    public OpsConfig withAccessLogSink(Consumer<String> sink) {
        return new OpsConfig(adminListen, accessLog, sink, console);
    }

    public OpsConfig withConsole(ConsoleConfig c) {
        return new OpsConfig(adminListen, accessLog, accessLogSink, c);
    }
}
