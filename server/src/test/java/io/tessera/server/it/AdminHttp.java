package io.tessera.server.it;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Requests to a node's admin listener over a raw socket: unsigned, or signed by the AWS SDK's own SigV4
 * signer (not Tessera's), and a reader of the Prometheus text format.
 */
final class AdminHttp {
    private AdminHttp() {
    }

    /** An unsigned request. */
    static RawHttp.Response unsigned(int port, String method, String pathAndQuery) {
        try (RawHttp c = new RawHttp(port)) {
            c.send(method + " " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
            return c.read(!method.equals("HEAD"));
        }
    }

    /** A request signed by the SDK with this key (UNSIGNED-PAYLOAD, no body). */
    static RawHttp.Response signed(int port, String method, String pathAndQuery, String accessKey, String secret) {
        try (RawHttp c = new RawHttp(port)) {
            c.send(RawHttp.signedHead(method, port, pathAndQuery, Map.of(), accessKey, secret, null, null));
            return c.read(true);
        }
    }

    /** A request signed by the SDK with the node's admin key. */
    static RawHttp.Response admin(int port, String method, String pathAndQuery) {
        return signed(port, method, pathAndQuery, TestNode.ACCESS_KEY, TestNode.SECRET_KEY);
    }

    /** {@code /metrics} as series (name and labels as printed) to values. */
    static Map<String, Double> metrics(int port) {
        RawHttp.Response r = unsigned(port, "GET", "/metrics");
        if (r.status() != 200) {
            throw new AssertionError("/metrics answered " + r.statusLine());
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : r.text().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    /** Waits, within a bound, for {@code condition}; fails naming {@code what}. */
    static void await(String what, Duration bound, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20); // polling a condition, bounded above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
