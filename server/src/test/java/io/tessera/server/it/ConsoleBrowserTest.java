package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.server.OpsConfig;
import io.tessera.server.ServerConfig;
import io.tessera.server.console.ConsoleConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The web console in a real browser (headless Chromium over the DevTools protocol) against a real node: an
 * operator signs in with the admin key (SigV4 computed by the page), browses a bucket by folders and pages,
 * uploads a file in parts with a progress bar, downloads it, sees a forgotten upload with its exact bytes
 * and aborts it, watches the space figures and charts follow, runs GC, deletes the object and signs out.
 * Without Chromium these tests are skipped and say how to run them ({@link Chromium#executable}).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConsoleBrowserTest {
    private static final int PART = 64 * 1024;
    private static final int WIDTH = 1280;

    @TempDir
    Path dir;

    /** Each test, not the class, is skipped without a browser: Surefire counts no test of a class aborted early. */
    @BeforeEach
    void needsChromium() {
        Chromium.executable();
    }

    private static TestNode node(Path dir) {
        ServerConfig config = TestNode.baseConfig(dir.resolve("node"));
        OpsConfig ops = TestNode.adminOps().withConsole(ConsoleConfig.defaults()
                .withSampleInterval(Duration.ofMillis(200)).withPartSize(PART));
        return TestNode.start(config, ops);
    }

    private static String consoleUrl(TestNode node) {
        return node.adminEndpoint() + "/console/";
    }

    private static String js(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static void signIn(Chromium browser, String accessKey, String secretKey) {
        browser.eval("document.querySelector('#access-key').value = " + js(accessKey) + ";"
                + " document.querySelector('#secret-key').value = " + js(secretKey) + ";"
                + " document.querySelector('#login-form').requestSubmit(); true");
    }

    /** A selector's text. */
    private static String text(Chromium browser, String selector) {
        return browser.eval("document.querySelector(" + js(selector) + ").textContent").asText();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void operatorUploadsBrowsesAbortsAndWatchesTheSpaceChange() throws Exception {
        try (TestNode node = node(dir); S3Client s3 = node.client(true);
             Chromium browser = Chromium.launch(dir.resolve("browser"), WIDTH, 1000)) {
            s3.createBucket(b -> b.bucket("photos"));
            s3.putObject(b -> b.bucket("photos").key("readme.txt"), RequestBody.fromString("hello console\n"));
            s3.putObject(b -> b.bucket("photos").key("albums/2026/beach.jpg"),
                    RequestBody.fromBytes(random(40_000, 1)));
            for (int i = 0; i < 105; i++) {
                String key = String.format("many/obj-%03d", i);
                s3.putObject(b -> b.bucket("photos").key(key), RequestBody.fromString("x"));
            }
            long objectBytes = "hello console\n".length() + 40_000 + 105;
            // a forgotten upload: two parts, 27 000 bytes on disk that no object listing shows
            String planted = s3.createMultipartUpload(b -> b.bucket("photos").key("planted.bin")).uploadId();
            s3.uploadPart(b -> b.bucket("photos").key("planted.bin").uploadId(planted).partNumber(1),
                    RequestBody.fromBytes(random(20_000, 2)));
            s3.uploadPart(b -> b.bucket("photos").key("planted.bin").uploadId(planted).partNumber(2),
                    RequestBody.fromBytes(random(7_000, 3)));

            browser.navigate(consoleUrl(node));
            browser.waitFor("!document.querySelector('#login').hidden", "the sign-in form shows");

            signIn(browser, TestNode.ACCESS_KEY, "not the secret");
            browser.waitFor("document.querySelector('#login-error').textContent.includes('SignatureDoesNotMatch')",
                    "a wrong secret is refused");
            assertThat(browser.eval("document.querySelector('#app').hidden").asBoolean()).isTrue();
            assertThat(browser.eval("document.cookie").asText()).isEmpty();

            signIn(browser, TestNode.ACCESS_KEY, TestNode.SECRET_KEY);
            browser.waitFor("!document.querySelector('#app').hidden", "the console shows after signing in");
            assertThat(text(browser, "#who")).contains(TestNode.ACCESS_KEY);
            assertThat(browser.eval("document.querySelector('#secret-key').value").asText()).isEmpty();
            // the session cookie is HttpOnly: the page's scripts cannot read it
            assertThat(browser.eval("document.cookie").asText()).isEmpty();

            // the space figures: objects and the forgotten upload's exact bytes
            browser.waitFor("document.querySelector('#card-uploads').dataset.value === '27000'",
                    "the incomplete uploads card shows 27 000 bytes");
            browser.waitFor("document.querySelector('#card-objects').dataset.value === '" + objectBytes + "'",
                    "the objects card shows the objects' bytes");
            assertThat(browser.eval("document.querySelector('#group').hidden").asBoolean())
                    .as("a node on its own shows no group panel").isTrue();
            browser.waitFor("[...document.querySelectorAll('#upload-table tbody tr')].some(tr => tr.dataset.key"
                    + " === 'planted.bin' && tr.dataset.bytes === '27000' && tr.dataset.parts === '2')",
                    "the planted upload is listed with its 2 parts and 27 000 bytes");

            // browsing: the only bucket opens by itself, folded at '/'
            browser.waitFor("document.querySelector('#object-table tr[data-key=\"readme.txt\"]')"
                    + " && document.querySelector('#object-table tr[data-prefix=\"albums/\"]')"
                    + " && document.querySelector('#object-table tr[data-prefix=\"many/\"]')",
                    "the bucket's root lists readme.txt and the folders albums/ and many/");
            browser.eval("document.querySelector('#object-table tr[data-prefix=\"many/\"] button').click(); true");
            browser.waitFor("document.querySelectorAll('#object-table tr[data-key^=\"many/\"]').length === 100"
                    + " && !document.querySelector('#page-next').disabled", "the first page of many/ holds 100");
            browser.eval("document.querySelector('#page-next').click(); true");
            browser.waitFor("document.querySelectorAll('#object-table tr[data-key^=\"many/\"]').length === 5"
                    + " && document.querySelector('#object-table tr[data-key=\"many/obj-104\"]')"
                    + " && document.querySelector('#page-next').disabled", "the second page holds the last 5");
            browser.eval("document.querySelector('#crumbs button.link').click(); true");
            browser.waitFor("document.querySelector('#object-table tr[data-key=\"readme.txt\"]')",
                    "the bucket link goes back to its root");
            browser.eval("document.querySelector('#object-table tr[data-prefix=\"albums/\"] button').click(); true");
            browser.waitFor("document.querySelector('#object-table tr[data-prefix=\"albums/2026/\"]')",
                    "albums/ holds the folder 2026/");
            browser.eval("document.querySelector('#object-table tr[data-prefix=\"albums/2026/\"] button').click();"
                    + " true");
            browser.waitFor("document.querySelector('#object-table tr[data-key=\"albums/2026/beach.jpg\"]')"
                    + " && document.querySelector('#crumbs').textContent.includes('albums / 2026')",
                    "albums/2026/ holds beach.jpg, and the crumbs say where we are");
            browser.eval("document.querySelector('#crumbs button.link').click(); true");
            browser.waitFor("document.querySelector('#object-table tr[data-key=\"readme.txt\"]')", "back at the root");

            // an upload in 5 parts (64 KiB each, the last smaller) through the file input, with its progress bar
            byte[] content = random(5 * PART - 12_345, 4);
            Path file = dir.resolve("holiday.bin");
            Files.write(file, content);
            browser.setFile("#upload-file", file);
            browser.eval("document.querySelector('#upload-form').requestSubmit(); true");
            browser.waitFor("document.querySelector('#upload-status').dataset.state === 'done'", "the upload ends");
            assertThat(text(browser, "#upload-status")).contains("Uploaded holiday.bin")
                    .contains(String.format("%,d bytes", content.length));
            assertThat(browser.eval("[document.querySelector('#upload-progress').value,"
                    + " document.querySelector('#upload-progress').max]").toString())
                    .isEqualTo("[" + content.length + "," + content.length + "]");
            HeadObjectResponse head = s3.headObject(b -> b.bucket("photos").key("holiday.bin"));
            assertThat(head.contentLength()).isEqualTo(content.length);
            assertThat(head.eTag()).endsWith("-5\"");
            ResponseBytes<GetObjectResponse> stored = s3.getObjectAsBytes(b -> b.bucket("photos").key("holiday.bin"));
            assertThat(stored.asByteArray()).isEqualTo(content);
            browser.waitFor("document.querySelector('#object-table tr[data-key=\"holiday.bin\"]')"
                    + " && document.querySelector('#object-table tr[data-key=\"holiday.bin\"]').dataset.size === '"
                    + content.length + "'", "the uploaded object is listed with its size");
            browser.waitFor("document.querySelector('#card-objects').dataset.value === '"
                    + (objectBytes + content.length) + "'", "the objects card adds the upload's bytes");

            // the download link streams the same bytes back
            String digest = browser.eval("(async () => { const a = document.querySelector("
                    + "'#object-table tr[data-key=\"holiday.bin\"] a.download');"
                    + " const r = await fetch(a.href); if (!r.ok) throw new Error('download answered ' + r.status);"
                    + " const d = new Uint8Array(await crypto.subtle.digest('SHA-256', await r.arrayBuffer()));"
                    + " return r.headers.get('content-disposition') + ' ' + Array.from(d, x => x.toString(16)"
                    + ".padStart(2, '0')).join(''); })()").asText();
            assertThat(digest).isEqualTo("attachment; filename=\"holiday.bin\"; filename*=UTF-8''holiday.bin "
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));

            browser.waitFor("document.querySelector('#space-chart polyline[data-series=\"objects\"]').dataset.last"
                    + " === '" + (objectBytes + content.length) + "'", "the space chart's last sample has the upload");
            byte[] png = browser.screenshot(WIDTH);
            assertThat(java.util.Arrays.copyOf(png, 4)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            Path shot = Path.of(System.getProperty("tessera.console.screenshot", "target/console-screenshot.png"));
            Files.createDirectories(shot.toAbsolutePath().getParent());
            Files.write(shot, png);

            // abort the forgotten upload: one click arms the button, the second aborts
            String abort = "document.querySelector('#upload-table tr[data-key=\"planted.bin\"] button.danger')";
            browser.eval(abort + ".click(); true");
            browser.waitFor(abort + ".textContent === 'Confirm abort'", "the abort button asks for confirmation");
            browser.eval(abort + ".click(); true");
            browser.waitFor("!document.querySelector('#upload-table tr[data-key=\"planted.bin\"]')"
                    + " && document.querySelector('#card-uploads').dataset.value === '0'",
                    "the aborted upload is gone and holds no bytes");
            assertThat(text(browser, "#uploads-status")).contains("27,000 bytes in 2 parts");
            assertThat(s3.listMultipartUploads(b -> b.bucket("photos")).uploads()).isEmpty();

            // the charts: the node sampled the upload's bytes before the abort and none after
            browser.waitFor("document.querySelector('#space-chart polyline[data-series=\"incomplete uploads\"]')"
                    + ".dataset.last === '0'", "the chart's last point has no incomplete upload bytes");
            JsonNode samples = browser.eval("fetch('/console/api/history?after=0').then(r => r.json())"
                    + ".then(h => h.samples.map(s => s.uploadBytes))");
            assertThat(samples.size()).isGreaterThan(2);
            assertThat(samples.toString()).contains("27000");
            assertThat(samples.get(samples.size() - 1).asLong()).isZero();
            int points = browser.eval("document.querySelector('#space-chart polyline[data-series=\"objects\"]')"
                    + ".getAttribute('points').split(' ').length").asInt();
            assertThat(points).isGreaterThan(2);

            // GC from the console: the node runs one cycle, and its count shows
            long cycles = node.server().engine().gcStats().cycles();
            browser.eval("document.querySelector('#gc-run').click(); true");
            browser.waitFor("document.querySelector('#gc-result').textContent.startsWith('reclaimed')",
                    "the GC cycle reports what it reclaimed");
            assertThat(node.server().engine().gcStats().cycles()).isGreaterThan(cycles);

            // delete the object, again with a confirming click
            String delete = "document.querySelector('#object-table tr[data-key=\"holiday.bin\"] button.danger')";
            browser.eval(delete + ".click(); true");
            browser.eval(delete + ".click(); true");
            browser.waitFor("!document.querySelector('#object-table tr[data-key=\"holiday.bin\"]')",
                    "the deleted object leaves the listing");
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket("photos").key("holiday.bin")))
                    .isInstanceOf(NoSuchKeyException.class);

            // signing out ends the session on the node, not only in the page
            browser.eval("document.querySelector('#logout').click(); true");
            browser.waitFor("!document.querySelector('#login').hidden", "the sign-in form shows again");
            assertThat(browser.eval("fetch('/console/api/status').then(r => r.status)").asInt()).isEqualTo(401);
            assertThat(browser.exceptions()).as("the page threw").isEmpty();
        }
    }

    @Test
    void thePagesOwnSha256AndSignatureMatchWebCrypto() throws Exception {
        try (TestNode node = node(dir); Chromium browser = Chromium.launch(dir.resolve("browser"), 800, 600)) {
            browser.navigate(consoleUrl(node));
            assertThat(browser.eval("window.isSecureContext && !!crypto.subtle").asBoolean())
                    .as("127.0.0.1 is a secure context: the page signs with WebCrypto").isTrue();
            JsonNode r = browser.eval("import('/console/sigv4.js').then(async m => {"
                    + " const out = [];"
                    + " for (const n of [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 1000, 100000]) {"
                    + "   const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 255;"
                    + "   const web = m.hex(new Uint8Array(await crypto.subtle.digest('SHA-256', b)));"
                    + "   if (m.hex(m.sha256Plain(b)) !== web) out.push('sha256 of ' + n + ' bytes differs');"
                    + " }"
                    + " const args = { method: 'POST', path: '/console/api/login', host: 'example:9001',"
                    + "   region: 'eu-west-3', accessKeyId: 'AKIDEXAMPLE', date: new Date(Date.UTC(2026, 0, 31, 23, 59, 59)),"
                    + "   secretKey: 'a secret that is longer than sixty-four bytes, to take the hashed-key path of HMAC' };"
                    + " const web = await m.signedHeaders(args);"
                    + " const plain = await m.signedHeaders({ ...args, plain: true });"
                    + " if (web.Authorization !== plain.Authorization) out.push('signatures differ');"
                    + " out.push(web.Authorization); out.push(m.hex(m.sha256Plain(new TextEncoder().encode('abc'))));"
                    + " return out; })");
            assertThat(r.size()).as(r.toString()).isEqualTo(2);
            assertThat(r.get(0).asText()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260131/eu-west-3/s3/"
                    + "aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=");
            // FIPS 180-2, appendix B.1
            assertThat(r.get(1).asText()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            assertThat(browser.exceptions()).as("the page threw").isEmpty();
        }
    }
}
