package io.tessera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.server.OpsConfig;
import io.tessera.server.observe.AccessLogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** One access log line per S3 request of a real node, with the request id the client got. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccessLogNodeTest {
    @TempDir
    Path dir;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private TestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private void start(AccessLogFormat format) {
        OpsConfig ops = OpsConfig.none().withAccessLog(format).withAccessLogSink(lines::add);
        node = TestNode.start(TestNode.baseConfig(dir), ops);
    }

    /** The line of request {@code id}, once written (lines follow the answer's last byte). */
    private String lineOf(String id) {
        AdminHttp.await("the access log has request " + id, Duration.ofSeconds(10),
                () -> lines.stream().anyMatch(l -> l.contains(id)));
        return lines.stream().filter(l -> l.contains(id)).findFirst().orElseThrow();
    }

    @Test
    void textLinesNameTheRequestItsKeyOperationAndBytes() {
        start(AccessLogFormat.TEXT);
        try (S3Client s3 = node.client(true)) {
            s3.createBucket(b -> b.bucket("logged"));
            String put = s3.putObject(b -> b.bucket("logged").key("dir/a b.txt"),
                    RequestBody.fromBytes(new byte[2048])).responseMetadata().requestId();
            String[] f = lineOf(put).split(" ");
            assertThat(f).hasSize(11);
            assertThat(f[1]).isEqualTo(put);
            assertThat(f[2]).isEqualTo(TestNode.ACCESS_KEY);
            assertThat(f[3]).isEqualTo("PutObject");
            assertThat(f[4]).isEqualTo("logged");
            assertThat(f[5]).isEqualTo("dir/a%20b.txt");
            assertThat(f[6]).isEqualTo("200");
            assertThat(f[7]).isEqualTo("-");
            assertThat(Long.parseLong(f[8])).isBetween(2048L, 3000L); // aws-chunked framing on top
            assertThat(f[9]).isEqualTo("0");
            assertThat(Double.parseDouble(f[10])).isGreaterThan(0);

            String get = s3.getObject(b -> b.bucket("logged").key("dir/a b.txt"), ResponseTransformer.toBytes())
                    .response().responseMetadata().requestId();
            assertThat(lineOf(get).split(" ")).satisfies(g -> {
                assertThat(g[3]).isEqualTo("GetObject");
                assertThat(g[8]).isEqualTo("0");
                assertThat(g[9]).isEqualTo("2048");
            });
        }
        try (S3Client stranger = node.client("AKIANOBODYKNOWSTHIS1", "secret", true)) {
            assertThatThrownBy(() -> stranger.headBucket(b -> b.bucket("logged")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        String[] f = lineOf(e.requestId()).split(" ");
                        assertThat(f[2]).as("the key a refused request claims").isEqualTo("AKIANOBODYKNOWSTHIS1");
                        assertThat(f[3]).isEqualTo("HeadBucket");
                        assertThat(f[4]).isEqualTo("logged");
                        assertThat(f[6]).isEqualTo("403");
                        assertThat(f[7]).isEqualTo("InvalidAccessKeyId");
                    });
        }
    }

    @Test
    void jsonLinesAreOneObjectEach() throws Exception {
        start(AccessLogFormat.JSON);
        String id;
        try (S3Client s3 = node.client(true)) {
            id = s3.createBucket(b -> b.bucket("json-logged")).responseMetadata().requestId();
        }
        JsonNode j = new ObjectMapper().readTree(lineOf(id));
        assertThat(j.get("request_id").asText()).isEqualTo(id);
        assertThat(j.get("operation").asText()).isEqualTo("CreateBucket");
        assertThat(j.get("method").asText()).isEqualTo("PUT");
        assertThat(j.get("bucket").asText()).isEqualTo("json-logged");
        assertThat(j.get("key").isNull()).isTrue();
        assertThat(j.get("status").asInt()).isEqualTo(200);
        assertThat(j.get("complete").asBoolean()).isTrue();
        assertThat(node.server().adminAddress()).as("no admin listener was asked for").isNull();
    }
}
