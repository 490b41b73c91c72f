package io.tessera.server.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.server.admin.AdminReports.Abort;
import io.tessera.server.admin.AdminReports.CreatedKey;
import io.tessera.server.admin.AdminReports.Grant;
import io.tessera.server.admin.AdminReports.KeyInfo;
import io.tessera.server.admin.AdminReports.Keys;
import io.tessera.server.admin.AdminReports.Cluster;
import io.tessera.server.admin.AdminReports.Failure;
import io.tessera.server.admin.AdminReports.Fsck;
import io.tessera.server.admin.AdminReports.Gc;
import io.tessera.server.admin.AdminReports.Replace;
import io.tessera.server.admin.AdminReports.SpaceReport;
import io.tessera.server.admin.AdminReports.Status;
import io.tessera.server.admin.AdminReports.Uploads;
import io.tessera.server.auth.SigV4Signer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A running node's admin API, over HTTP, every request signed by SigV4 with the admin key. Short
 * requests wait at most {@link #QUICK_TIMEOUT}; gc, fsck and aborts up to the command's timeout.
 *
 * <p>Thread-safe.
 */
final class RemoteAdmin implements AdminClient {
    static final Duration QUICK_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final URI endpoint;
    private final SigV4Signer signer;
    private final Duration longTimeout;
    private final Clock clock;
    private final HttpClient http;

    RemoteAdmin(URI endpoint, SigV4Signer signer, Duration longTimeout, Clock clock) {
        this.endpoint = endpoint;
        this.signer = signer;
        this.longTimeout = longTimeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public String describe() {
        return "node at " + endpoint;
    }

    @Override
    public Status status() {
        return call("GET", "/admin/status", Map.of(), Status.class, QUICK_TIMEOUT);
    }

    @Override
    public SpaceReport space(String bucket) {
        Map<String, String> q = new LinkedHashMap<>();
        put(q, "bucket", bucket);
        return call("GET", "/admin/space", q, SpaceReport.class, QUICK_TIMEOUT);
    }

    @Override
    public Uploads uploads(Cutoff cutoff, String bucket, int limit) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put(cutoff.parameter(), cutoff.value());
        put(q, "bucket", bucket);
        q.put("limit", Integer.toString(limit));
        return call("GET", "/admin/uploads", q, Uploads.class, longTimeout);
    }

    @Override
    public Abort abortUploads(Cutoff cutoff, String bucket, int limit, boolean dryRun) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put(cutoff.parameter(), cutoff.value());
        put(q, "bucket", bucket);
        q.put("limit", Integer.toString(limit));
        q.put("dry-run", Boolean.toString(dryRun));
        return call("POST", "/admin/uploads/abort", q, Abort.class, longTimeout);
    }

    @Override
    public Gc gc() {
        return call("POST", "/admin/gc", Map.of(), Gc.class, longTimeout);
    }

    @Override
    public Fsck fsck(boolean bodies) {
        return call("POST", "/admin/fsck", Map.of("bodies", Boolean.toString(bodies)), Fsck.class, longTimeout);
    }

    @Override
    public Cluster cluster() {
        return call("GET", "/admin/cluster", Map.of(), Cluster.class, QUICK_TIMEOUT);
    }

    @Override
    public Replace replaceMember(String deadId, String newId, String newAddress) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("dead", deadId);
        q.put("new", newId);
        q.put("address", newAddress);
        return call("POST", "/admin/cluster/replace", q, Replace.class, longTimeout);
    }

    @Override
    public Keys keys() {
        return call("GET", "/admin/keys", Map.of(), Keys.class, QUICK_TIMEOUT);
    }

    @Override
    public CreatedKey createKey(String name, String ownerName) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("name", name);
        put(q, "owner-name", ownerName);
        return call("POST", "/admin/keys", q, CreatedKey.class, QUICK_TIMEOUT);
    }

    @Override
    public KeyInfo deleteKey(String key) {
        return call("POST", "/admin/keys/delete", Map.of("key", key), KeyInfo.class, QUICK_TIMEOUT);
    }

    @Override
    public Grant changeGrants(String key, String bucket, List<String> allow, List<String> deny) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("key", key);
        q.put("bucket", bucket);
        q.put("allow", String.join(",", allow));
        q.put("deny", String.join(",", deny));
        return call("POST", "/admin/keys/grants", q, Grant.class, QUICK_TIMEOUT);
    }

    private static void put(Map<String, String> q, String name, String value) {
        if (value != null) {
            q.put(name, value);
        }
    }

    private <T> T call(String method, String path, Map<String, String> query, Class<T> type, Duration timeout) {
        StringJoiner qs = new StringJoiner("&");
        query.forEach((k, v) -> qs.add(encode(k) + "=" + encode(v)));
        String rawQuery = qs.toString();
        URI uri = URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + path
                + (rawQuery.isEmpty() ? "" : "?" + rawQuery));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody());
        signer.sign(method, path, rawQuery, host(uri), clock.instant()).forEach(b::header);
        HttpResponse<byte[]> res;
        try {
            res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new AdminException("no node answers on " + endpoint + " (is it running, with its admin listener"
                    + " there? a stopped node's data directory is worked on with --data DIR alone)", e);
        } catch (HttpTimeoutException e) {
            throw new AdminException("the node at " + endpoint + " did not answer within " + timeout.toSeconds()
                    + " s (--timeout waits longer)", e);
        } catch (IOException e) {
            throw new AdminException("talking to the node at " + endpoint + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted", e);
        }
        try {
            if (res.statusCode() != 200) {
                Failure f = JSON.readValue(res.body(), Failure.class);
                throw new AdminException("the node at " + endpoint + " answered " + res.statusCode() + " "
                        + f.error() + ": " + f.message());
            }
            return JSON.readValue(res.body(), type);
        } catch (IOException e) {
            throw new AdminException("the node at " + endpoint + " answered " + res.statusCode()
                    + " with something that is not an admin API document: "
                    + new String(res.body(), StandardCharsets.UTF_8), e);
        }
    }

    /** The Host header Java's HTTP client sends: the port only when it is not the scheme's default. */
    static String host(URI uri) {
        int port = uri.getPort();
        boolean dflt = port == -1 || (port == 80 && "http".equals(uri.getScheme()))
                || (port == 443 && "https".equals(uri.getScheme()));
        return dflt ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** RFC 3986 percent-encoding of a query component, as SigV4 canonicalises it. */
    static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close on Java 17; its threads end with it
    }
}
