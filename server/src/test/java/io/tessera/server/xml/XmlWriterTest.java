package io.tessera.server.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Escaping, timestamps and quoting of the writer under the documents. */
class XmlWriterTest {

    @Test
    void escapesMarkupAndQuotesButNotApostrophes() {
        assertThat(body(new XmlWriter().root("R", false).element("K", "a&b<c>d\"e'f").end()))
                .isEqualTo("<R><K>a&amp;b&lt;c&gt;d&quot;e'f</K></R>");
    }

    @Test
    void charactersXml10CannotCarryBecomeReferencesAsOnAws() {
        String key = "a\u0001b\u001bc\rd\te\nf\uFFFEg\uFFFF";
        assertThat(body(new XmlWriter().root("R", false).element("K", key).end()))
                .isEqualTo("<R><K>a&#x1;b&#x1b;c&#xd;d\te\nf&#xfffe;g&#xffff;</K></R>");
    }

    @Test
    void surrogatePairsPassAndLoneSurrogatesBecomeReferences() {
        assertThat(body(new XmlWriter().root("R", false).element("K", "\uD83D\uDE00|\uD800|\uDC00x").end()))
                .isEqualTo("<R><K>\uD83D\uDE00|&#xd800;|&#xdc00;x</K></R>");
    }

    @Test
    void outputIsUtf8() {
        byte[] b = new XmlWriter().root("R", false).element("K", "é").end().toBytes();
        assertThat(new String(b, StandardCharsets.UTF_8)).endsWith("<K>é</K></R>");
        assertThat(b[b.length - "</K></R>".length() - 1]).isEqualTo((byte) 0xA9);
    }

    @Test
    void timestampsHaveMillisecondsAndZ() {
        assertThat(body(new XmlWriter().root("R", false)
                .time("A", Instant.parse("2026-01-02T03:04:05Z"))
                .time("B", Instant.parse("2026-01-02T03:04:05.123456789Z"))
                .time("C", Instant.ofEpochMilli(0)).end()))
                .isEqualTo("<R><A>2026-01-02T03:04:05.000Z</A><B>2026-01-02T03:04:05.123Z</B>"
                        + "<C>1970-01-01T00:00:00.000Z</C></R>");
    }

    @Test
    void etagsAreQuotedExactlyOnce() {
        assertThat(body(new XmlWriter().root("R", false).etag("E", "abc").etag("F", "\"abc\"").end()))
                .isEqualTo("<R><E>&quot;abc&quot;</E><F>&quot;abc&quot;</F></R>");
    }

    @Test
    void unclosedDocumentIsAProgrammingError() {
        assertThatThrownBy(() -> new XmlWriter().root("R", true).toBytes()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void declarationComesFirst() {
        String all = new String(new XmlWriter().root("R", true).end().toBytes(), StandardCharsets.UTF_8);
        assertThat(all).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<R xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></R>");
    }

    @Test
    void errorDocumentDropsUnusableDetailsAndKeepsOrder() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("Key", "k");
        details.put("BucketName", "b");
        details.put("Code", "clash");
        details.put("1bad", "x");
        details.put("has space", "x");
        details.put("NullValue", null);
        ErrorDocument doc = new ErrorDocument("NoSuchKey", null, details, "/b/k", "rid", null);
        assertThat(doc.details()).containsExactly(Map.entry("Key", "k"), Map.entry("BucketName", "b"));
        assertThat(new String(S3Xml.toBytes(doc), StandardCharsets.UTF_8)).endsWith(
                "<Error><Code>NoSuchKey</Code><Message></Message><Key>k</Key><BucketName>b</BucketName>"
                        + "<Resource>/b/k</Resource><RequestId>rid</RequestId></Error>");
    }

    @Test
    void etagHelpers() {
        assertThat(ETags.quoted("a")).isEqualTo("\"a\"");
        assertThat(ETags.quoted("\"a\"")).isEqualTo("\"a\"");
        assertThat(ETags.unquoted("\"a\"")).isEqualTo("a");
        assertThat(ETags.unquoted("a")).isEqualTo("a");
        assertThat(ETags.quoted("\"")).isEqualTo("\"\"\"");
        assertThat(ETags.unquoted("\"\"")).isEmpty();
    }

    private static String body(XmlWriter w) {
        String all = new String(w.toBytes(), StandardCharsets.UTF_8);
        return all.substring(all.indexOf('\n') + 1);
    }
}
