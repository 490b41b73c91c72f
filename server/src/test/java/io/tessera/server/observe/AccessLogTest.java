package io.tessera.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two access log formats: every field in its place, whatever a client put in keys and key ids. */
class AccessLogTest {
    private static final Instant T = Instant.parse("2026-11-30T08:31:53.123Z");

    private static RequestRecord put() {
        return new RequestRecord(T, "00000000000000A1", "PUT", "AKIAEXAMPLE", "PutObject", "photos", "big.iso",
                200, null, 1_048_576, 0, 12_345_678, true);
    }

    @Test
    void aTextLineHasElevenFieldsSeparatedBySpaces() {
        assertThat(AccessLog.text(put())).isEqualTo(
                "2026-11-30T08:31:53.123Z 00000000000000A1 AKIAEXAMPLE PutObject photos big.iso 200 - 1048576 0 12.345");
    }

    @Test
    void keysWithSpacesNewlinesAndNonAsciiStayOneFieldAndAbsentValuesAreDashes() {
        RequestRecord r = new RequestRecord(T, "00000000000000A2", "GET", "evil key\nid", null, null,
                "a dir/caf\u00e9 menu\n.txt", 403, "AccessDenied", 0, 243, 1_000, true);
        String line = AccessLog.text(r);
        assertThat(line).isEqualTo("2026-11-30T08:31:53.123Z 00000000000000A2 evil%20key%0Aid - - "
                + "a%20dir/caf%C3%A9%20menu%0A.txt 403 AccessDenied 0 243 0.001");
        assertThat(line.split(" ")).hasSize(11);
    }

    @Test
    void anAnswerCutOffHasNoBytesOut() {
        RequestRecord r = new RequestRecord(T, "00000000000000A3", "GET", "AKIAEXAMPLE", "GetObject", "photos",
                "big.iso", 200, null, 0, 5_000_000, 2_000_000_000L, false);
        assertThat(AccessLog.text(r)).endsWith(" 200 - 0 - 2000.000");
    }

    @Test
    void aJsonLineIsOneObjectWithTheSameFields() throws Exception {
        RequestRecord r = new RequestRecord(T, "00000000000000A4", "PUT", "AKIAEXAMPLE", "PutObject", "photos",
                "caf\u00e9 \"quoted\"\n", 503, "SlowDown", 10, 245, 1_500_000, true);
        String line = AccessLog.json(r);
        assertThat(line).doesNotContain("\n");
        JsonNode j = new ObjectMapper().readTree(line);
        assertThat(j.get("time").asText()).isEqualTo("2026-11-30T08:31:53.123Z");
        assertThat(j.get("request_id").asText()).isEqualTo("00000000000000A4");
        assertThat(j.get("key_id").asText()).isEqualTo("AKIAEXAMPLE");
        assertThat(j.get("operation").asText()).isEqualTo("PutObject");
        assertThat(j.get("method").asText()).isEqualTo("PUT");
        assertThat(j.get("bucket").asText()).isEqualTo("photos");
        assertThat(j.get("key").asText()).isEqualTo("caf\u00e9 \"quoted\"\n");
        assertThat(j.get("status").asInt()).isEqualTo(503);
        assertThat(j.get("error").asText()).isEqualTo("SlowDown");
        assertThat(j.get("bytes_in").asLong()).isEqualTo(10);
        assertThat(j.get("bytes_out").asLong()).isEqualTo(245);
        assertThat(j.get("duration_ms").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(j.get("complete").asBoolean()).isTrue();
        assertThat(new ObjectMapper().readTree(AccessLog.json(new RequestRecord(T, "X", "GET", null, null, null,
                null, 400, "InvalidRequest", 0, 0, 0, true))).get("key_id").isNull()).isTrue();
    }

    @Test
    void theSinkGetsOneLinePerRequestInTheChosenFormat() {
        List<String> lines = new ArrayList<>();
        new AccessLog(AccessLogFormat.JSON, lines::add).completed(put());
        new AccessLog(AccessLogFormat.TEXT, lines::add).completed(put());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"time\":");
        assertThat(lines.get(1)).startsWith("2026-11-30T08:31:53.123Z ");
        assertThat(AccessLogFormat.parse(" Json ")).isEqualTo(AccessLogFormat.JSON);
        assertThatThrownBy(() -> AccessLogFormat.parse("xml")).hasMessageContaining("off, text or json");
    }
}
