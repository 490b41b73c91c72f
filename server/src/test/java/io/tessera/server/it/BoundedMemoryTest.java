package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A 1 GiB part streams through a node whose heap is 256 MiB: the node runs in its own JVM, started
 * the way the {@code tessera serve} command line is, and receives the part from the SDK with its
 * default checksums (signed aws-chunked body with a CRC32 trailer). Nothing may buffer the part.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BoundedMemoryTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://[0-9.]+:[0-9]+)");
    private static final long SIZE = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void oneGibPartWithSmallHeap() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        cmd.add("-Xms256m");
        cmd.add("-XX:MaxDirectMemorySize=256m");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("--sun-misc")
                    || a.equals("-XX:+IgnoreUnrecognizedVMOptions")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.tessera.server.cli.Main");
        cmd.addAll(List.of("serve", "--data", dir.resolve("data").toString(), "--listen", "127.0.0.1:0",
                "--admin-listen", "off", "--access-key", TestNode.ACCESS_KEY, "--secret-key", TestNode.SECRET_KEY));
        Path log = dir.resolve("node.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try {
            URI endpoint = awaitEndpoint(p, output, log);
            try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(TestNode.ACCESS_KEY, TestNode.SECRET_KEY)))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                    .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(120)))
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .build()) {
                s3.createBucket(b -> b.bucket("mem"));
                String id = s3.createMultipartUpload(r -> r.bucket("mem").key("huge")).uploadId();
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                UploadPartResponse up = s3.uploadPart(r -> r.bucket("mem").key("huge").uploadId(id).partNumber(1),
                        RequestBody.fromContentProvider(() -> new PatternStream(SIZE, md5), SIZE,
                                "application/octet-stream"));
                assertThat(up.eTag()).isEqualTo("\"" + HexFormat.of().formatHex(md5.digest()) + "\"");
                assertThat(s3.listParts(r -> r.bucket("mem").key("huge").uploadId(id)).parts().get(0).size())
                        .isEqualTo(SIZE);
            }
            assertThat(p.isAlive()).isTrue();
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String out = Files.exists(log) ? Files.readString(log) : output.toString();
        assertThat(out).doesNotContain("OutOfMemoryError").doesNotContain("LEAK");
    }

    /** Reads the child's output on a thread, returns the endpoint once it prints its listening line. */
    private static URI awaitEndpoint(Process p, StringBuilder output, Path log) throws Exception {
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        endpoint.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
            endpoint.completeExceptionally(new IllegalStateException("node exited: " + output));
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
        return endpoint.get(60, TimeUnit.SECONDS);
    }

    /** {@code size} bytes of a cheap pattern, hashed with MD5 as they are read. */
    private static final class PatternStream extends InputStream {
        private final long size;
        private final MessageDigest md5;
        private long pos;

        PatternStream(long size, MessageDigest md5) {
            this.size = size;
            this.md5 = md5;
            md5.reset();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                long x = pos + i;
                b[off + i] = (byte) (x ^ (x >>> 11) ^ (x >>> 23));
            }
            md5.update(b, off, n);
            pos += n;
            return n;
        }
    }
}
