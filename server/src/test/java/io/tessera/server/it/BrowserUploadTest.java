package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A real browser (Debian's headless {@code chromium}) uploads an object in two parts straight to a node,
 * with {@code fetch()} from a page served on another origin and presigned URLs: CreateMultipartUpload, two
 * UploadParts whose {@code ETag} headers the script reads (which CORS must expose), and Complete. Every
 * step passes the browser's own CORS checks (a preflight for each PUT) or the upload fails. The page writes
 * its outcome into the DOM, which chromium prints ({@code --dump-dom}).
 *
 * <p>Without a Chromium it is skipped and says how to run it ({@link Chromium#executable}); CI installs one and
 * requires it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrowserUploadTest {
    private static final String BUCKET = "browser";
    private static final String KEY = "from the browser/upload.txt";
    private static final Pattern RESULT = Pattern.compile("<pre id=\"result\">([^<]*)</pre>");
    private static final String TAIL = "tail written by the browser";

    Path browser;
    Path dir;
    TestNode node;
    S3Client s3;
    S3Presigner presigner;
    HttpServer page;

    @BeforeAll
    void start() throws IOException {
        dir = TempDirs.create("tessera-browser");
        node = TestNode.start(dir);
        s3 = node.client(false);
        presigner = node.presigner();
        s3.createBucket(b -> b.bucket(BUCKET));
        page = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        page.createContext("/", this::servePage);
        page.createContext("/sign", this::sign);
        page.start();
        String origin = "http://127.0.0.1:" + page.getAddress().getPort();
        s3.putBucketCors(r -> r.bucket(BUCKET).corsConfiguration(c -> c.corsRules(CORSRule.builder()
                .allowedOrigins(origin).allowedMethods("PUT", "POST", "GET").allowedHeaders("*")
                .exposeHeaders("ETag").maxAgeSeconds(60).build())));
    }

    @AfterAll
    void stop() {
        if (page != null) {
            page.stop(0);
        }
        if (presigner != null) {
            presigner.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (node != null) {
            node.close();
        }
        TempDirs.delete(dir);
    }

    /** Each test, not the class, is skipped without a browser: Surefire counts no test of a class aborted early. */
    @BeforeEach
    void needsChromium() {
        browser = Chromium.executable();
    }

    /** The browser's page: all URLs it needs are presigned by this test, none carries a secret. */
    private void servePage(HttpExchange ex) throws IOException {
        String create = presigner.presignCreateMultipartUpload(p -> p.signatureDuration(Duration.ofMinutes(10))
                .createMultipartUploadRequest(r -> r.bucket(BUCKET).key(KEY))).url().toString();
        String html = """
                <!DOCTYPE html><html><body><pre id="result">RUNNING</pre><script>
                const out = document.getElementById('result');
                async function check(r, step) {
                  if (!r.ok) { throw new Error(step + ' answered ' + r.status + ' ' + await r.text()); }
                  return r;
                }
                async function run() {
                  const created = await check(await fetch(%s, {method: 'POST'}), 'create');
                  const xml = new DOMParser().parseFromString(await created.text(), 'application/xml');
                  const uploadId = xml.getElementsByTagName('UploadId')[0].textContent;
                  const urls = await (await fetch('/sign?uploadId=' + encodeURIComponent(uploadId))).json();
                  const bodies = ['a'.repeat(%d), %s];
                  const etags = [];
                  for (let i = 0; i < 2; i++) {
                    const r = await check(await fetch(urls.parts[i], {method: 'PUT', body: bodies[i]}), 'part ' + (i + 1));
                    const etag = r.headers.get('ETag');
                    if (!etag) { throw new Error('the ETag of part ' + (i + 1) + ' is not exposed'); }
                    etags.push(etag);
                  }
                  const doc = '<CompleteMultipartUpload>' + etags.map((e, i) =>
                      '<Part><PartNumber>' + (i + 1) + '</PartNumber><ETag>' + e + '</ETag></Part>').join('')
                      + '</CompleteMultipartUpload>';
                  const done = await check(await fetch(urls.complete, {method: 'POST', body: doc}), 'complete');
                  const result = new DOMParser().parseFromString(await done.text(), 'application/xml');
                  out.textContent = 'DONE ' + result.getElementsByTagName('ETag')[0].textContent
                      + ' parts ' + etags.join(' ');
                }
                run().catch(e => { out.textContent = 'FAILED ' + e.message; });
                </script></body></html>
                """.formatted(js(create), TestNode.MIN_PART, js(TAIL));
        reply(ex, "text/html; charset=utf-8", html);
    }

    /** Presigned UploadPart and Complete URLs for an upload the browser created. */
    private void sign(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        String uploadId = URLDecoder.decode(query.substring(query.indexOf('=') + 1), StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            int part = n;
            parts.add(js(presigner.presignUploadPart(p -> p.signatureDuration(Duration.ofMinutes(10))
                    .uploadPartRequest(r -> r.bucket(BUCKET).key(KEY).uploadId(uploadId).partNumber(part)))
                    .url().toString()));
        }
        String complete = presigner.presignCompleteMultipartUpload(p -> p.signatureDuration(Duration.ofMinutes(10))
                .completeMultipartUploadRequest(r -> r.bucket(BUCKET).key(KEY).uploadId(uploadId))).url().toString();
        reply(ex, "application/json", "{\"parts\": [" + String.join(", ", parts) + "], \"complete\": " + js(complete)
                + "}");
    }

    private static String js(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void reply(HttpExchange ex, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void aBrowserUploadsInPartsAcrossOrigins() throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        String url = "http://127.0.0.1:" + page.getAddress().getPort() + "/";
        Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=60000",
                "--dump-dom", url).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom;
        try {
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
            dom = stdout.get(10, TimeUnit.SECONDS);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        Matcher m = RESULT.matcher(dom);
        assertThat(m.find()).as("result element in %s", dom).isTrue();
        String result = m.group(1);
        assertThat(result).as("what the page reported").startsWith("DONE ");

        byte[] object = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(KEY)).asByteArray();
        String expected = "a".repeat((int) TestNode.MIN_PART) + TAIL;
        assertThat(new String(object, StandardCharsets.UTF_8)).isEqualTo(expected);
        String etag = s3.headObject(r -> r.bucket(BUCKET).key(KEY)).eTag();
        assertThat(result).contains(etag.replace("\"", ""));
        assertThat(etag).endsWith("-2\"");
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
