package io.tessera.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A headless Chromium driven over the DevTools protocol, through a WebSocket of the JDK's own HTTP client:
 * one page, JavaScript evaluated in it (promises awaited), files put into file inputs, screenshots. What
 * the page logs to its console and the exceptions it throws are kept and shown when a step fails.
 *
 * <p>The browser is Debian's {@code chromium} (or {@code -Dtessera.chromium=PATH}); without one, {@link #executable}
 * skips the test and says how to run it. It runs with a profile in a temporary directory and is closed with the
 * test, with every process it started. Not thread-safe: one test drives it.
 */
final class Chromium implements AutoCloseable {
    /** Names the browser to run instead of looking for one on PATH. */
    static final String PATH_PROPERTY = "tessera.chromium";
    /** Set to {@code true} (CI sets it) to make a missing browser fail the browser tests instead of skipping them. */
    static final String REQUIRED_PROPERTY = "tessera.requireBrowser";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final AtomicBoolean SKIP_ANNOUNCED = new AtomicBoolean();
    /** Never closed: it is the process's stderr. */
    private static final FileOutputStream NATIVE_STDERR = new FileOutputStream(FileDescriptor.err);

    private final Process process;
    private final Path log;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> pageLog = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private String session;

    private Chromium(Process process, Path log, WebSocket.Builder builder, URI endpoint) throws Exception {
        this.process = process;
        this.log = log;
        this.socket = builder.buildAsync(endpoint, new Listener()).get(30, TimeUnit.SECONDS);
    }

    /**
     * The browser to run: {@code -Dtessera.chromium=PATH}, else the first {@code chromium}, {@code chromium-browser}
     * or {@code google-chrome} on PATH. Without one the calling test is skipped (a JUnit assumption, which
     * Surefire counts as skipped) and the build output says so and how to run it, unless
     * {@code -Dtessera.requireBrowser=true} asks for a failure instead. A given path that is not executable fails:
     * whoever named a browser wants it run.
     */
    static Path executable() {
        String given = System.getProperty(PATH_PROPERTY);
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.isExecutable(p)) {
                throw new AssertionError("-D" + PATH_PROPERTY + "=" + given + " is not an executable file");
            }
            return p;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        String missing = "no Chromium on PATH (chromium, chromium-browser or google-chrome). To run them, install"
                + " Debian's chromium (apt-get install chromium; .ci/run does) or pass -D" + PATH_PROPERTY
                + "=/path/to/chrome.";
        if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
            throw new AssertionError("-D" + REQUIRED_PROPERTY + "=true (as .ci/run passes) requires the browser tests"
                    + " (BrowserUploadTest, ConsoleBrowserTest), but there is " + missing);
        }
        String why = "SKIPPED the browser tests (BrowserUploadTest, ConsoleBrowserTest): " + missing;
        announceOnce(why);
        return Assumptions.abort(why);
    }

    /**
     * Says once per test JVM, in the build output, that the browser tests are skipped. It writes to the process's
     * own stderr: Surefire puts what tests print to {@code System.err} in report files, but shows a fork's native
     * stderr in the build output, and lists a skipped test without its reason.
     */
    private static void announceOnce(String why) {
        if (SKIP_ANNOUNCED.compareAndSet(false, true)) {
            try {
                NATIVE_STDERR.write(("[WARNING] " + why + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
                NATIVE_STDERR.flush();
            } catch (IOException e) {
                // the skip itself, with the same reason, is in the test reports either way
            }
        }
    }

    /** Starts a headless browser with a profile in {@code dir} and opens one blank page of the given size. */
    static Chromium launch(Path dir, int width, int height) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("profile"));
        Path log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(executable().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1", "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Chromium c = null;
        try {
            URI endpoint = devToolsEndpoint(p, profile, log);
            c = new Chromium(p, log, HttpClient.newHttpClient().newWebSocketBuilder(), endpoint);
            c.openPage(width, height);
            return c;
        } catch (Exception | AssertionError e) {
            if (c != null) {
                c.close();
            } else {
                stop(p);
            }
            throw e;
        }
    }

    /** Chromium writes its port and browser target into DevToolsActivePort once it listens. */
    private static URI devToolsEndpoint(Process p, Path profile, Path log) throws Exception {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() >= 2 && !lines.get(1).isBlank()) {
                    return URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
                }
            }
            if (!p.isAlive()) {
                throw new AssertionError("chromium exited with " + p.exitValue() + " before listening:\n" + tail(log));
            }
            Thread.sleep(50); // polling for the file, bounded above
        }
        throw new AssertionError("chromium did not open its DevTools port within 60 s:\n" + tail(log));
    }

    private void openPage(int width, int height) {
        String target = browser("Target.createTarget", params().put("url", "about:blank")).get("targetId").asText();
        session = browser("Target.attachToTarget", params().put("targetId", target).put("flatten", true))
                .get("sessionId").asText();
        send("Page.enable", params());
        send("Runtime.enable", params());
        send("Emulation.setDeviceMetricsOverride", params().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** A command to the browser itself. */
    JsonNode browser(String method, ObjectNode params) {
        return call(null, method, params, STEP);
    }

    /** A command to the page. */
    JsonNode send(String method, ObjectNode params) {
        return call(session, method, params, STEP);
    }

    private JsonNode call(String sessionId, String method, ObjectNode params, Duration bound) {
        int id = ids.incrementAndGet();
        ObjectNode msg = params().put("id", id).put("method", method);
        msg.set("params", params);
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
            JsonNode r = answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            if (r.has("error")) {
                throw new AssertionError(method + " failed: " + r.get("error") + pageLog());
            }
            return r.get("result");
        } catch (TimeoutException e) {
            throw new AssertionError(method + " got no answer within " + bound.toSeconds() + " s" + pageLog());
        } catch (Exception e) {
            throw new AssertionError(method + " failed: " + e + pageLog(), e);
        } finally {
            pending.remove(id);
        }
    }

    /** Opens {@code url} and waits until its document and scripts have loaded. */
    void navigate(String url) {
        send("Page.navigate", params().put("url", url));
        waitFor("document.readyState === 'complete' && location.href === " + JSON.valueToTree(url), "the page "
                + url + " loaded");
    }

    /** The value of a JavaScript expression in the page (a promise is awaited), as JSON. */
    JsonNode eval(String expression) {
        JsonNode r = send("Runtime.evaluate", params().put("expression", expression).put("awaitPromise", true)
                .put("returnByValue", true).put("userGesture", true));
        if (r.has("exceptionDetails")) {
            JsonNode d = r.get("exceptionDetails");
            String what = d.path("exception").path("description").asText(d.path("text").asText());
            throw new AssertionError("JavaScript failed: " + what + "\n  in: " + expression + pageLog());
        }
        return r.path("result").path("value");
    }

    /** Waits, within {@link #STEP}, until the JavaScript {@code condition} holds in the page. */
    void waitFor(String condition, String what) {
        String js = "new Promise((resolve, reject) => { const end = Date.now() + " + (STEP.toMillis() - 5000) + ";"
                + " const check = () => { let v = false; try { v = (" + condition + "); } catch (e) { v = false; }"
                + " if (v) resolve(true); else if (Date.now() > end) reject(new Error('timed out waiting until '"
                + " + " + JSON.valueToTree(what) + ")); else setTimeout(check, 50); }; check(); })";
        eval(js);
    }

    /** Puts {@code file} into the file input {@code selector} as if the user had picked it. */
    void setFile(String selector, Path file) {
        JsonNode r = send("Runtime.evaluate", params().put("expression", "document.querySelector("
                + JSON.valueToTree(selector) + ")"));
        String objectId = r.path("result").path("objectId").asText(null);
        if (objectId == null) {
            throw new AssertionError("no element " + selector + pageLog());
        }
        ObjectNode p = params().put("objectId", objectId);
        p.putArray("files").add(file.toAbsolutePath().toString());
        send("DOM.setFileInputFiles", p);
    }

    /** A PNG of the whole page, {@code width} CSS pixels wide. */
    byte[] screenshot(int width) {
        JsonNode metrics = send("Page.getLayoutMetrics", params());
        double height = metrics.path("cssContentSize").path("height").asDouble(1000);
        ObjectNode clip = params().put("x", 0).put("y", 0).put("width", width).put("height", Math.ceil(height))
                .put("scale", 1);
        ObjectNode p = params().put("format", "png").put("captureBeyondViewport", true);
        p.set("clip", clip);
        return Base64.getDecoder().decode(send("Page.captureScreenshot", p).get("data").asText());
    }

    /** The exceptions the page threw (or promises it left rejected) so far. */
    List<String> exceptions() {
        synchronized (pageLog) {
            return pageLog.stream().filter(l -> l.startsWith("exception: ")).toList();
        }
    }

    /** What the page logged and threw so far, for failure messages. */
    String pageLog() {
        synchronized (pageLog) {
            return pageLog.isEmpty() ? "" : "\n  page log:\n    " + String.join("\n    ", pageLog);
        }
    }

    private void event(JsonNode msg) {
        String method = msg.path("method").asText();
        JsonNode p = msg.path("params");
        String line = switch (method) {
            case "Runtime.consoleAPICalled" -> p.path("type").asText() + ": " + p.path("args").toString();
            case "Runtime.exceptionThrown" -> "exception: " + p.path("exceptionDetails").path("exception")
                    .path("description").asText(p.path("exceptionDetails").toString());
            case "Log.entryAdded" -> p.path("entry").path("level").asText() + ": " + p.path("entry").path("text").asText();
            default -> null;
        };
        if (line != null) {
            synchronized (pageLog) {
                pageLog.add(line);
            }
        }
    }

    /** Gathers each message's fragments, then answers its command or records its event. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String whole = text.toString();
                text.setLength(0);
                try {
                    JsonNode msg = JSON.readTree(whole);
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.get(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else {
                        event(msg);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            ws.request(1);
            return null;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void stop(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly); // only the processes this browser started
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList(); // orphans are not descendants any more
        try {
            call(null, "Browser.close", params(), Duration.ofSeconds(10));
        } catch (AssertionError e) {
            // the browser may close its socket before it answers; it is stopped below either way
        }
        socket.abort();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                stop(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Where the browser's own output went. */
    Path log() {
        return log;
    }
}
