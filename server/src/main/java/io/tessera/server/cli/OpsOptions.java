package io.tessera.server.cli;

import io.tessera.server.OpsConfig;
import io.tessera.server.admin.Durations;
import io.tessera.server.console.ConsoleConfig;
import io.tessera.server.observe.AccessLogFormat;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The options of {@code tessera serve} for operating a node: where the admin listener listens, its web
 * console, and how S3 requests are logged. Also read from the config file as {@code admin-listen},
 * {@code console}, {@code console-sample} and {@code access-log}.
 */
final class OpsOptions {
    @Option(names = "--admin-listen", paramLabel = "HOST:PORT|off", description = "address of the admin listener:"
            + " /health/live, /health/ready and /metrics for anyone who can reach it, the admin API for the"
            + " node's key (default: " + OpsConfig.DEFAULT_ADMIN_LISTEN + "; off: none)")
    private String adminListen;

    @Option(names = "--access-log", paramLabel = "off|text|json", description = "one line per S3 request to the"
            + " tessera.access logger (default: text)")
    private String accessLog;

    @Option(names = "--console", paramLabel = "on|off", description = "the web console at /console on the admin"
            + " listener, signed in with the admin key (default: on)")
    private String console;

    @Option(names = "--console-sample", paramLabel = "DURATION", description = "how often the console's charts"
            + " sample space and GC; it keeps " + ConsoleConfig.DEFAULT_HISTORY_SIZE + " samples (default: 10s)")
    private String consoleSample;

    /** The operator's settings: these flags, else the config file, else the defaults. */
    OpsConfig config(Properties file) {
        String admin = adminListen != null ? adminListen
                : file.getProperty("admin-listen", OpsConfig.DEFAULT_ADMIN_LISTEN);
        String log = accessLog != null ? accessLog : file.getProperty("access-log", "text");
        OpsConfig ops = OpsConfig.none().withAccessLog(AccessLogFormat.parse(log)).withConsole(console(file));
        String a = admin.trim();
        return a.toLowerCase(Locale.ROOT).equals("off") ? ops
                : ops.withAdminListen(address(a));
    }

    private ConsoleConfig console(Properties file) {
        String on = (console != null ? console : file.getProperty("console", "on")).trim().toLowerCase(Locale.ROOT);
        if (!on.equals("on") && !on.equals("off")) {
            throw new IllegalArgumentException("--console must be on or off, got " + on);
        }
        String sample = consoleSample != null ? consoleSample : file.getProperty("console-sample");
        ConsoleConfig c = ConsoleConfig.defaults().withEnabled(on.equals("on"));
        return sample == null ? c : c.withSampleInterval(Durations.parse(sample));
    }

    private static InetSocketAddress address(String s) {
        int colon = s.lastIndexOf(':');
        String host = colon <= 0 ? "" : s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            if (!host.isEmpty() && port >= 0 && port <= 65535) {
                return new InetSocketAddress(host, port);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("--admin-listen must be host:port or off, got " + s);
    }
}
