package io.tessera.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.engine.EngineException;
import io.tessera.server.admin.AdminReports.Failure;
import io.tessera.server.auth.AuthResult;
import io.tessera.server.auth.SigV4Request;
import io.tessera.server.auth.SigV4Verifier;
import io.tessera.server.error.ErrorMapper;
import io.tessera.server.error.S3Exception;
import io.tessera.server.metrics.NodeMetrics;
import io.tessera.server.http.QueryParameters;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin listener serves, free of Netty:
 * <pre>
 *   GET  /health/live                 200 while the process runs                        (no authentication)
 *   GET  /health/ready                200 once the engine opened and while the disk
 *                                     accepts writes, else 503                          (no authentication)
 *   GET  /metrics                     Prometheus text format                            (no authentication)
 *   GET  /admin/status                version, uptime, space                            (admin key)
 *   GET  /admin/space[?bucket=B]      space per bucket                                  (admin key)
 *   GET  /admin/uploads?older-than=D|before=T[&amp;bucket=B][&amp;limit=N]                      (admin key)
 *   POST /admin/uploads/abort?older-than=D|before=T[&amp;bucket=B][&amp;limit=N][&amp;dry-run=true]  (admin key)
 *   POST /admin/gc                    one full GC cycle                                 (admin key)
 *   POST /admin/fsck[?bodies=true]    fsck, optionally reading every body byte          (admin key)
 *   GET  /admin/cluster               this node's view of its group                     (admin key)
 *   POST /admin/cluster/replace?dead=ID&amp;new=ID&amp;address=HOST:PORT  a membership change        (admin key)
 *   GET  /admin/keys                  the access keys and their grants, no secret       (admin key)
 *   POST /admin/keys[?name=N][&amp;owner-name=O]  creates a key; the answer holds its secret      (admin key)
 *   POST /admin/keys/delete?key=K     deletes a key (its id, or its unique name)        (admin key)
 *   POST /admin/keys/grants?key=K&amp;bucket=B[&amp;allow=read,write][&amp;deny=owner]  changes grants (admin key)
 * </pre>
 * Key changes are commands of the replicated state: in a group, any member takes them for all.
 * The cluster paths answer 404 NotInGroup on a node on its own.
 * The admin paths need SigV4 header or presigned authentication by the node's admin key and no body;
 * anything else is refused with 403. Answers are JSON ({@link AdminReports}). Work runs on the API's
 * own threads, never on the caller's: short requests on a small bounded pool (503 when it is full), and
 * one maintenance task (gc, fsck, a real abort) at a time (409 while one runs).
 *
 * <p>Thread-safe.
 */
public final class AdminApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final int MAX_LIMIT = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final Health health;
    private final NodeMetrics metrics;
    private final SigV4Verifier verifier;
    private final Clock clock;
    private final ThreadPoolExecutor quick;
    private final ExecutorService maintenance;
    private final AtomicBoolean maintenanceBusy = new AtomicBoolean();
    private volatile AdminOperations operations;
    /** The node's group; null for a node on its own. */
    private volatile GroupOperations group;

    /**
     * @param verifier checks the admin key's signatures (it must know that key and no other)
     * @param clock    the clock signatures are checked against
     */
    public AdminApi(Health health, NodeMetrics metrics, SigV4Verifier verifier, Clock clock) {
        this.health = health;
        this.metrics = metrics;
        this.verifier = verifier;
        this.clock = clock;
        this.quick = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
                daemon("tessera-admin"));
        this.maintenance = Executors.newSingleThreadExecutor(daemon("tessera-maintenance"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The engine is open: the admin paths work from now on. */
    public void engineOpened(AdminOperations ops) {
        this.operations = ops;
    }

    /** The node runs as a member of a group: the cluster paths work from now on. */
    public void groupJoined(GroupOperations groupOperations) {
        this.group = groupOperations;
    }

    /** The node's group operations; null for a node on its own (or before it joined its group). */
    public GroupOperations group() {
        return group;
    }

    /** Answers {@code req}; the future completes on one of the API's threads (or at once). */
    public CompletableFuture<AdminResponse> handle(AdminRequest req) {
        try {
            return route(req);
        } catch (AdminRefusal f) {
            return CompletableFuture.completedFuture(f.response());
        }
    }

    private CompletableFuture<AdminResponse> route(AdminRequest req) {
        String path = req.rawPath();
        switch (path) {
            case "/health/live" -> {
                requireMethod(req, "GET");
                return done(AdminResponse.text(200, "text/plain; charset=utf-8", "live\n"));
            }
            case "/health/ready" -> {
                requireMethod(req, "GET");
                return onQuick(() -> {
                    Health.Readiness r = health.readiness();
                    return json(r.ready() ? 200 : 503, r);
                });
            }
            case "/metrics" -> {
                requireMethod(req, "GET");
                return onQuick(() -> AdminResponse.text(200, NodeMetrics.CONTENT_TYPE, metrics.scrape()));
            }
            default -> {
                if (path.startsWith("/admin/")) {
                    return admin(req, path.substring("/admin/".length()));
                }
                throw new AdminRefusal(404, "NotFound", "no such path: " + path
                        + " (the admin listener serves /health/live, /health/ready, /metrics and /admin/...)");
            }
        }
    }

    private CompletableFuture<AdminResponse> admin(AdminRequest req, String what) {
        String keyId = authenticate(req);
        Map<String, String> q = query(req.rawQuery());
        AdminOperations ops = operations;
        if (ops == null) {
            throw new AdminRefusal(503, "ServiceUnavailable", "the engine is opening (recovery is running)");
        }
        switch (what) {
            case "status" -> {
                requireMethod(req, "GET");
                return onQuick(() -> json(200, ops.status()));
            }
            case "space" -> {
                requireMethod(req, "GET");
                String bucket = q.get("bucket");
                return onQuick(() -> json(200, ops.space(bucket)));
            }
            case "uploads" -> {
                requireMethod(req, "GET");
                Instant cutoff = cutoff(ops, q);
                String bucket = q.get("bucket");
                int limit = limit(q, AdminOperations.MAX_LISTED);
                return onQuick(() -> json(200, ops.uploads(cutoff, bucket, limit)));
            }
            case "uploads/abort" -> {
                requireMethod(req, "POST");
                Instant cutoff = cutoff(ops, q);
                String bucket = q.get("bucket");
                int limit = limit(q, AdminOperations.MAX_LISTED);
                boolean dry = flag(q, "dry-run");
                if (dry) {
                    return onQuick(() -> json(200, ops.abortUploads(cutoff, bucket, limit, true)));
                }
                LOG.info("admin: key {} aborts up to {} uploads started before {}{}", keyId, limit, cutoff,
                        bucket == null ? "" : " in bucket " + bucket);
                return onMaintenance("an abort", () -> json(200, ops.abortUploads(cutoff, bucket, limit, false)));
            }
            case "gc" -> {
                requireMethod(req, "POST");
                return gc(keyId);
            }
            case "fsck" -> {
                requireMethod(req, "POST");
                boolean bodies = flag(q, "bodies");
                LOG.info("admin: key {} runs fsck{}", keyId, bodies ? " with bodies" : "");
                return onMaintenance("an fsck", () -> json(200, ops.fsck(bodies)));
            }
            case "cluster" -> {
                requireMethod(req, "GET");
                GroupOperations g = requireGroup();
                return onQuick(() -> json(200, g.status()));
            }
            case "cluster/replace" -> {
                requireMethod(req, "POST");
                GroupOperations g = requireGroup();
                String dead = required(q, "dead");
                String replacement = required(q, "new");
                String address = required(q, "address");
                if (address.lastIndexOf(':') <= 0) {
                    throw new AdminRefusal(400, "InvalidArgument", "address is the new member's peer address,"
                            + " host:port, not " + address);
                }
                LOG.info("admin: key {} replaces group member {} by {}={}", keyId, dead, replacement, address);
                return onMaintenance("a membership change",
                        () -> json(200, g.replace(dead, replacement, address)));
            }
            case "keys" -> {
                if (req.method().equals("POST")) {
                    String name = q.getOrDefault("name", "");
                    String ownerName = q.get("owner-name");
                    return onQuick(() -> {
                        AdminReports.CreatedKey made = ops.keys().create(name, ownerName);
                        LOG.info("admin: key {} created access key {}", keyId, made.key().accessKeyId());
                        return json(200, made);
                    });
                }
                requireMethod(req, "GET");
                return onQuick(() -> json(200, ops.keys().list()));
            }
            case "keys/delete" -> {
                requireMethod(req, "POST");
                String key = required(q, "key");
                return onQuick(() -> {
                    AdminReports.KeyInfo gone = ops.keys().delete(key);
                    LOG.info("admin: key {} deleted access key {}", keyId, gone.accessKeyId());
                    return json(200, gone);
                });
            }
            case "keys/grants" -> {
                requireMethod(req, "POST");
                String key = required(q, "key");
                String bucket = required(q, "bucket");
                List<String> allow = names(q.get("allow"));
                List<String> deny = names(q.get("deny"));
                return onQuick(() -> {
                    AdminReports.Grant g = ops.keys().changeGrants(key, bucket, allow, deny);
                    LOG.info("admin: key {} set access key {} on bucket {} to {}", keyId, g.accessKeyId(), bucket,
                            g.permissions());
                    return json(200, g);
                });
            }
            default -> throw new AdminRefusal(404, "NotFound", "no such admin operation: " + what);
        }
    }

    private GroupOperations requireGroup() {
        GroupOperations g = group;
        if (g == null) {
            throw new AdminRefusal(404, "NotInGroup", "this node is not in a group (it was started without"
                    + " --node-id, --peer-listen and --peers)");
        }
        return g;
    }

    private static String required(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            throw new AdminRefusal(400, "InvalidArgument", name + " is required");
        }
        return v;
    }

    /**
     * Runs one full GC cycle as the maintenance task, for the key {@code keyId}: its report, 409 while another
     * maintenance task runs, 503 before the engine opened.
     */
    public CompletableFuture<AdminResponse> gc(String keyId) {
        AdminOperations ops = operations;
        if (ops == null) {
            return done(failure(503, "ServiceUnavailable", "the engine is opening (recovery is running)"));
        }
        LOG.info("admin: key {} runs a full GC cycle", keyId);
        return onMaintenance("a gc", () -> json(200, ops.gc()));
    }

    /**
     * The admin key's id, or {@link AdminRefusal} (403) for anything that is not a valid signature by it over
     * an empty body. Cheap (no I/O): callable on an event loop.
     */
    public String authenticate(AdminRequest req) {
        SigV4Request.Builder b = SigV4Request.builder().method(req.method()).rawPath(req.rawPath())
                .rawQuery(req.rawQuery());
        req.headers().forEach(b::addHeader);
        AuthResult auth;
        try {
            auth = verifier.verify(b.build(), clock.instant());
        } catch (S3Exception e) {
            throw new AdminRefusal(403, e.code().awsCode(), "the admin API needs a SigV4 signature by the node's"
                    + " admin key: " + e.getMessage());
        }
        if (req.bodyLength() > 0) {
            throw new AdminRefusal(400, "InvalidRequest", "the admin API takes no request body");
        }
        String sha = auth.contentSha256();
        if (!sha.equals("UNSIGNED-PAYLOAD") && !sha.equalsIgnoreCase(EMPTY_SHA256)) {
            throw new AdminRefusal(403, "XAmzContentSHA256Mismatch", "the signed payload hash is not that of an"
                    + " empty body");
        }
        return auth.credential().accessKeyId();
    }

    private Instant cutoff(AdminOperations ops, Map<String, String> q) {
        String olderThan = q.get("older-than");
        String before = q.get("before");
        if ((olderThan == null) == (before == null)) {
            throw new AdminRefusal(400, "InvalidArgument", "give exactly one of older-than (a duration such as 7d)"
                    + " and before (an instant such as 2026-01-31T00:00:00Z)");
        }
        try {
            return olderThan != null ? ops.cutoff(Durations.parse(olderThan)) : Instant.parse(before);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new AdminRefusal(400, "InvalidArgument", e.getMessage());
        }
    }

    /** A comma-separated list of names; none when absent or empty. */
    private static List<String> names(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : List.of(csv.split(","));
    }

    private static int limit(Map<String, String> q, int dflt) {
        String s = q.get("limit");
        if (s == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new AdminRefusal(400, "InvalidArgument", "limit must be a number from 1 to " + MAX_LIMIT);
    }

    private static boolean flag(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.isEmpty() || v.equals("true")) {
            return true;
        }
        throw new AdminRefusal(400, "InvalidArgument", name + " is true or false, not " + v);
    }

    private static void requireMethod(AdminRequest req, String method) {
        boolean ok = req.method().equals(method) || (method.equals("GET") && req.method().equals("HEAD"));
        if (!ok) {
            throw new AdminRefusal(405, "MethodNotAllowed", req.rawPath() + " answers " + method + " only");
        }
    }

    private static Map<String, String> query(String raw) {
        try {
            return QueryParameters.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new AdminRefusal(400, "InvalidArgument", e.getMessage());
        }
    }

    private CompletableFuture<AdminResponse> onQuick(Supplier<AdminResponse> work) {
        try {
            return CompletableFuture.supplyAsync(() -> guarded(work), quick);
        } catch (RejectedExecutionException e) {
            return done(failure(503, "SlowDown", "too many admin requests at once; retry shortly"));
        }
    }

    private CompletableFuture<AdminResponse> onMaintenance(String what, Supplier<AdminResponse> work) {
        if (!maintenanceBusy.compareAndSet(false, true)) {
            return done(failure(409, "Busy", "another maintenance task (gc, fsck, an abort or a membership change)"
                    + " is running;"
                    + " " + what + " waits for it to end"));
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return guarded(work);
                } finally {
                    maintenanceBusy.set(false);
                }
            }, maintenance);
        } catch (RejectedExecutionException e) {
            maintenanceBusy.set(false);
            return done(failure(503, "ServiceUnavailable", "the node is shutting down"));
        }
    }

    /** Runs {@code work}, turning every failure into an answer. */
    private static AdminResponse guarded(Supplier<AdminResponse> work) {
        try {
            return work.get();
        } catch (AdminRefusal f) {
            return f.response();
        } catch (EngineException e) {
            S3Exception s3 = ErrorMapper.toS3(e, "admin");
            return failure(s3.code().httpStatus(), s3.code().awsCode(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("admin request failed", e);
            return failure(500, "InternalError", e.toString());
        }
    }

    private static CompletableFuture<AdminResponse> done(AdminResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    static AdminResponse json(int status, Object document) {
        try {
            return new AdminResponse(status, AdminResponse.JSON, JSON.writeValueAsBytes(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + document.getClass().getSimpleName(), e);
        }
    }

    static AdminResponse failure(int status, String code, String message) {
        return json(status, new Failure(code, message));
    }

    /** Stops taking work and waits (bounded) for a running maintenance task before the engine closes. */
    @Override
    public void close() {
        quick.shutdown();
        maintenance.shutdown();
        try {
            if (!maintenance.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("a maintenance task is still running after {} s; closing anyway", CLOSE_WAIT_SECONDS);
            }
            quick.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
