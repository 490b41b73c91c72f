package io.tessera.server.console;

import io.tessera.engine.ObjectInfo;
import io.tessera.server.admin.AdminApi;
import io.tessera.server.admin.AdminRefusal;
import io.tessera.server.admin.AdminRequest;
import io.tessera.server.admin.AdminResponse;
import io.tessera.server.admin.GroupOperations;
import io.tessera.server.console.ConsoleDocuments.History;
import io.tessera.server.console.ConsoleDocuments.SessionInfo;
import io.tessera.server.console.ConsoleDocuments.Written;
import io.tessera.server.console.ConsoleSessions.Session;
import io.tessera.server.error.ErrorMapper;
import io.tessera.server.error.S3Exception;
import io.tessera.server.http.QueryParameters;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console serves at {@code /console} on the admin listener, free of Netty:
 * <pre>
 *   GET  /console/                         the page (and its scripts and style beside it)
 *   GET  /console/api/session              signed in or not; the region and the node's clock for signing in
 *   POST /console/api/login                signed (SigV4, header) by the admin key: starts a session
 *   POST /console/api/logout
 *   GET  /console/api/status               as {@code /admin/status}
 *   GET  /console/api/history?after=N      the space samples after number N
 *   GET  /console/api/buckets              POST ?name=B creates, DELETE ?name=B deletes an empty one
 *   GET  /console/api/objects?bucket=B&amp;prefix=P&amp;after=K&amp;limit=N   one page, folded at /
 *   GET|PUT|DELETE /console/api/object?bucket=B&amp;key=K           download, upload (one request), delete
 *   POST /console/api/multipart?bucket=B&amp;key=K&amp;type=T            starts a multipart upload
 *   PUT  /console/api/multipart/part?bucket=B&amp;key=K&amp;uploadId=U&amp;part=N
 *   POST /console/api/multipart/complete?bucket=B&amp;key=K&amp;uploadId=U   with every part it holds
 *   GET  /console/api/uploads[?bucket=B][&amp;limit=N]   incomplete uploads: totals, and the first N with their parts and bytes
 *   POST /console/api/uploads/abort?bucket=B&amp;key=K&amp;uploadId=U
 *   POST /console/api/gc                   a full GC cycle (the admin API's maintenance task)
 *   GET  /console/api/cluster              the group as this node sees it (404 NotInGroup on a node on its own)
 * </pre>
 * <b>Signing in.</b> The page signs the login request with SigV4 in the browser (WebCrypto), so the secret
 * key never leaves it; the node checks the signature as the admin API does, and answers with a random
 * session token in an HttpOnly, SameSite=Strict cookie scoped to {@code /console} (the secret is in no
 * cookie; the node keeps only the token's hash, see {@link ConsoleSessions}). Every API request needs the
 * session; every request that changes something also needs the session's CSRF token in
 * {@value #CSRF_HEADER}, which another origin cannot read nor send without a CORS preflight the node never
 * grants. Requests a browser marks as coming from another site or origin ({@code Sec-Fetch-Site},
 * {@code Origin}) are refused: the S3 port is the same site, and an object served from it must not
 * drive the console.
 *
 * <p>The uploads and the download stream their bodies ({@link ConsoleHandler}); the rest is answered
 * here, on a small pool of the console's own. Thread-safe.
 */
final class ConsoleApi {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApi.class);
    static final String PREFIX = "/console";
    static final String API = "/console/api/";
    static final String CSRF_HEADER = "X-Tessera-Csrf";
    /** The most uploads one answer lists (the totals count them all). */
    static final int MAX_UPLOADS_LISTED = 1000;
    private static final Set<String> SAFE = Set.of("GET", "HEAD");

    /** What the handler does with a request the console claims. */
    enum Kind { ANSWER, UPLOAD_OBJECT, UPLOAD_PART, DOWNLOAD }

    private final ConsoleConfig config;
    private final AdminApi admin;
    private final ConsoleSessions sessions;
    private final SpaceHistory history;
    private final ConsoleAssets assets;
    private final String region;
    private final Clock clock;
    private final ExecutorService work;
    private volatile ConsoleData data;

    ConsoleApi(ConsoleConfig config, AdminApi admin, ConsoleSessions sessions, SpaceHistory history,
               ConsoleAssets assets, String region, Clock clock, ExecutorService work) {
        this.config = config;
        this.admin = admin;
        this.sessions = sessions;
        this.history = history;
        this.assets = assets;
        this.region = region;
        this.clock = clock;
        this.work = work;
    }

    void engineOpened(ConsoleData d) {
        this.data = d;
    }

    /** Whether the console answers {@code rawPath}. */
    static boolean claims(String rawPath) {
        return rawPath.equals(PREFIX) || rawPath.startsWith(PREFIX + "/");
    }

    static Kind kind(AdminRequest req) {
        String p = req.rawPath();
        String m = req.method();
        if (p.equals(API + "object")) {
            if (m.equals("PUT")) {
                return Kind.UPLOAD_OBJECT;
            }
            if (m.equals("GET")) {
                return Kind.DOWNLOAD;
            }
        }
        if (p.equals(API + "multipart/part") && m.equals("PUT")) {
            return Kind.UPLOAD_PART;
        }
        return Kind.ANSWER;
    }

    /**
     * The session of an API request, checked: it comes from the console's own page (not another site or origin),
     * names a live session, and, unless it only reads, carries the session's CSRF token.
     *
     * @throws ConsoleRefusal 401 without a live session, 403 otherwise
     */
    Session authorize(AdminRequest req, String cookieName) {
        sameOrigin(req);
        Session s = sessions.find(cookie(req, cookieName));
        if (s == null) {
            throw new ConsoleRefusal(401, "NotSignedIn", "sign in to the console first (or again: sessions end"
                    + " after " + config.sessionIdle().toMinutes() + " minutes without use)");
        }
        if (!SAFE.contains(req.method())
                && !ConsoleSessions.sameSecret(req.headers().get(CSRF_HEADER), s.csrf())) {
            throw new ConsoleRefusal(403, "InvalidCsrfToken", "this request needs the session's " + CSRF_HEADER
                    + " header");
        }
        return s;
    }

    /** The engine side, or 503 while the engine opens. */
    ConsoleData data() {
        ConsoleData d = data;
        if (d == null) {
            throw new ConsoleRefusal(503, "ServiceUnavailable", "the engine is opening (recovery is running)");
        }
        return d;
    }

    /** The part size the page uploads with: the configured one, but no less than the engine's minimum. */
    long partSize() {
        ConsoleData d = data;
        return d == null ? config.partSize() : Math.max(config.partSize(), d.minPartSize());
    }

    /** Answers a request of kind {@link Kind#ANSWER}; the future completes on the console's pool (or at once). */
    CompletableFuture<ConsoleResponse> answer(AdminRequest req, String cookieName) {
        try {
            return route(req, cookieName);
        } catch (ConsoleRefusal r) {
            return done(r.response());
        }
    }

    private CompletableFuture<ConsoleResponse> route(AdminRequest req, String cookieName) {
        String p = req.rawPath();
        if (!p.startsWith(API)) {
            return done(asset(req));
        }
        if (req.bodyLength() > 0) {
            throw new ConsoleRefusal(400, "InvalidRequest", p + " takes no request body");
        }
        String what = p.substring(API.length());
        switch (what) {
            case "session" -> {
                method(req, "GET");
                sameOrigin(req);
                Session s = sessions.find(cookie(req, cookieName));
                return done(ConsoleResponse.json(200, sessionInfo(s)));
            }
            case "login" -> {
                method(req, "POST");
                sameOrigin(req);
                String keyId;
                try {
                    keyId = admin.authenticate(req);
                } catch (AdminRefusal r) {
                    throw new ConsoleRefusal(r.status(), r.code(), r.getMessage());
                }
                ConsoleSessions.Started started = sessions.start(keyId);
                LOG.info("console: key {} signed in", keyId);
                return done(ConsoleResponse.json(200, sessionInfo(started.session()))
                        .with("Set-Cookie", cookieName + "=" + started.token() + "; Path=" + PREFIX + "; Max-Age="
                                + config.sessionMax().toSeconds() + "; HttpOnly; SameSite=Strict"));
            }
            case "logout" -> {
                method(req, "POST");
                authorize(req, cookieName);
                sessions.end(cookie(req, cookieName));
                return done(ConsoleResponse.empty(204).with("Set-Cookie", cookieName + "=; Path=" + PREFIX
                        + "; Max-Age=0; HttpOnly; SameSite=Strict"));
            }
            default -> {
                return api(req, what, authorize(req, cookieName));
            }
        }
    }

    private CompletableFuture<ConsoleResponse> api(AdminRequest req, String what, Session session) {
        Map<String, String> q = query(req.rawQuery());
        ConsoleData d = data();
        switch (what) {
            case "status" -> {
                method(req, "GET");
                return onPool(() -> ConsoleResponse.json(200, d.operations().status()));
            }
            case "cluster" -> {
                method(req, "GET");
                GroupOperations g = admin.group();
                if (g == null) {
                    throw new ConsoleRefusal(404, "NotInGroup", "this node is not in a group");
                }
                return onPool(() -> ConsoleResponse.json(200, g.status()));
            }
            case "history" -> {
                method(req, "GET");
                long after = number(q, "after", 0);
                return done(ConsoleResponse.json(200, new History(history.interval().toMillis() / 1000.0,
                        history.capacity(), history.after(after))));
            }
            case "buckets" -> {
                switch (req.method()) {
                    case "GET" -> {
                        return onPool(() -> ConsoleResponse.json(200, d.buckets()));
                    }
                    case "POST" -> {
                        String name = need(q, "name");
                        String owner = d.owner(session.accessKeyId());
                        return onPool(() -> {
                            d.createBucket(name, owner);
                            LOG.info("console: key {} created bucket {}", session.accessKeyId(), name);
                            return ConsoleResponse.empty(204);
                        });
                    }
                    case "DELETE" -> {
                        String name = need(q, "name");
                        return onPool(() -> {
                            d.deleteBucket(name);
                            LOG.info("console: key {} deleted bucket {}", session.accessKeyId(), name);
                            return ConsoleResponse.empty(204);
                        });
                    }
                    default -> throw notAllowed(req, "GET, POST and DELETE");
                }
            }
            case "objects" -> {
                method(req, "GET");
                String bucket = need(q, "bucket");
                int limit = (int) number(q, "limit", ConsoleData.MAX_PAGE);
                return onPool(() -> ConsoleResponse.json(200, d.objects(bucket, q.get("prefix"), q.get("after"),
                        Math.max(1, limit))));
            }
            case "object" -> {
                method(req, "DELETE");
                String bucket = need(q, "bucket");
                String key = need(q, "key");
                return onPool(() -> {
                    d.deleteObject(bucket, key);
                    return ConsoleResponse.empty(204);
                });
            }
            case "multipart" -> {
                method(req, "POST");
                String bucket = need(q, "bucket");
                String key = need(q, "key");
                long partSize = partSize();
                String owner = d.owner(session.accessKeyId());
                return onPool(() -> ConsoleResponse.json(200, d.startUpload(bucket, key, q.get("type"), partSize,
                        owner)));
            }
            case "multipart/complete" -> {
                method(req, "POST");
                String bucket = need(q, "bucket");
                String key = need(q, "key");
                String uploadId = need(q, "uploadId");
                return onPool(() -> {
                    ObjectInfo o = d.complete(bucket, key, uploadId);
                    return ConsoleResponse.json(200, new Written(o.key(), o.size(), o.etag()));
                });
            }
            case "uploads" -> {
                method(req, "GET");
                int limit = (int) Math.min(MAX_UPLOADS_LISTED, Math.max(1, number(q, "limit", MAX_UPLOADS_LISTED)));
                return onPool(() -> ConsoleResponse.json(200, d.uploads(q.get("bucket"), limit)));
            }
            case "uploads/abort" -> {
                method(req, "POST");
                String bucket = need(q, "bucket");
                String key = need(q, "key");
                String uploadId = need(q, "uploadId");
                return onPool(() -> {
                    ConsoleDocuments.Aborted a = d.abort(bucket, key, uploadId);
                    LOG.info("console: key {} aborted upload {} of {}/{} ({} bytes)", session.accessKeyId(), uploadId,
                            bucket, key, a.bytes());
                    return ConsoleResponse.json(200, a);
                });
            }
            case "gc" -> {
                method(req, "POST");
                return admin.gc(session.accessKeyId()).thenApply(ConsoleApi::fromAdmin);
            }
            default -> throw new ConsoleRefusal(404, "NotFound", "no such console operation: " + what);
        }
    }

    private SessionInfo sessionInfo(Session s) {
        String now = clock.instant().toString();
        double sample = history.interval().toMillis() / 1000.0;
        return s == null ? new SessionInfo(false, null, null, region, partSize(), sample, now)
                : new SessionInfo(true, s.accessKeyId(), s.csrf(), region, partSize(), sample, now);
    }

    private ConsoleResponse asset(AdminRequest req) {
        method(req, "GET");
        String p = req.rawPath();
        if (p.equals(PREFIX)) {
            return ConsoleResponse.redirect(PREFIX + "/");
        }
        String name = p.substring(PREFIX.length() + 1);
        ConsoleAssets.Asset a = assets.get(name.isEmpty() ? ConsoleAssets.INDEX : name);
        if (a == null) {
            throw new ConsoleRefusal(404, "NotFound", "no such console file: " + p);
        }
        return new ConsoleResponse(200, a.contentType(), a.bytes(), Map.of());
    }

    private static ConsoleResponse fromAdmin(AdminResponse r) {
        return new ConsoleResponse(r.status(), r.contentType(), r.body(), Map.of());
    }

    /**
     * Refuses what a browser says came from another site or origin. Requests without these headers (tools, old
     * browsers) pass: the session and CSRF checks still hold for them.
     */
    private static void sameOrigin(AdminRequest req) {
        String site = req.headers().get("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new ConsoleRefusal(403, "CrossOriginRequest", "the console answers its own page only (this"
                    + " request came from a " + site + " page)");
        }
        String origin = req.headers().get("Origin");
        String host = req.headers().get("Host");
        // https too: a TLS proxy in front of the admin listener keeps the Host but not the scheme
        if (origin != null && !origin.equals("http://" + host) && !origin.equals("https://" + host)) {
            throw new ConsoleRefusal(403, "CrossOriginRequest", "the console answers its own page only (origin "
                    + origin + ")");
        }
    }

    /** The value of cookie {@code name}, or null. */
    static String cookie(AdminRequest req, String name) {
        for (String header : req.headers().all("Cookie")) {
            for (String pair : header.split(";")) {
                String c = pair.trim();
                int eq = c.indexOf('=');
                if (eq > 0 && c.substring(0, eq).equals(name)) {
                    return c.substring(eq + 1);
                }
            }
        }
        return null;
    }

    private CompletableFuture<ConsoleResponse> onPool(Supplier<ConsoleResponse> job) {
        try {
            return CompletableFuture.supplyAsync(() -> guarded(job), work);
        } catch (RejectedExecutionException e) {
            return done(ConsoleResponse.failure(503, "SlowDown", "too many console requests at once; retry shortly"));
        }
    }

    /** Runs {@code job}, turning every failure into an answer. */
    static ConsoleResponse guarded(Supplier<ConsoleResponse> job) {
        try {
            return job.get();
        } catch (ConsoleRefusal r) {
            return r.response();
        } catch (RuntimeException e) {
            return failure(e);
        }
    }

    /** The answer to a failure of the engine (its S3 error) or of the node. */
    static ConsoleResponse failure(Throwable t) {
        S3Exception s3 = ErrorMapper.toS3(t, "console");
        String message = s3.getMessage() == null ? s3.code().awsCode() : s3.getMessage();
        return ConsoleResponse.failure(s3.code().httpStatus(), s3.code().awsCode(), message);
    }

    private static CompletableFuture<ConsoleResponse> done(ConsoleResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private static void method(AdminRequest req, String method) {
        if (!req.method().equals(method)) {
            throw notAllowed(req, method);
        }
    }

    private static ConsoleRefusal notAllowed(AdminRequest req, String methods) {
        return new ConsoleRefusal(405, "MethodNotAllowed", req.rawPath() + " answers " + methods + " only");
    }

    static String need(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            throw new ConsoleRefusal(400, "InvalidArgument", "the query parameter " + name + " is needed");
        }
        return v;
    }

    static long number(Map<String, String> q, String name, long dflt) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConsoleRefusal(400, "InvalidArgument", name + " must be a number, not " + v);
        }
    }

    static Map<String, String> query(String raw) {
        try {
            return QueryParameters.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ConsoleRefusal(400, "InvalidArgument", e.getMessage());
        }
    }
}
