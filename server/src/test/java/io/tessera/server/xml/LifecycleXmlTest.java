package io.tessera.server.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of lifecycle configurations: round trips, the forms clients send, MalformedXML and NotImplemented. */
class LifecycleXmlTest {
    private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    @Test
    void goldenDocumentRoundTrips() throws IOException {
        LifecycleConfiguration doc = (LifecycleConfiguration) GoldenDocuments.all().get("LifecycleConfiguration");
        assertThat(S3Xml.parseLifecycleConfiguration(S3Xml.toBytes(doc))).isEqualTo(doc);
        try (InputStream in = LifecycleXmlTest.class.getResourceAsStream("/xml/LifecycleConfiguration.xml")) {
            assertThat(S3Xml.parseLifecycleConfiguration(in.readAllBytes())).isEqualTo(doc);
        }
    }

    @Test
    void sdkFormsAreUnderstood() {
        String body = "<LifecycleConfiguration" + NS + ">"
                + "<Rule><Expiration><Days>3</Days></Expiration><ID>a</ID><Filter><Prefix></Prefix></Filter>"
                + "<Status>Enabled</Status></Rule>"
                + "<Rule><AbortIncompleteMultipartUpload><DaysAfterInitiation> 2 </DaysAfterInitiation>"
                + "</AbortIncompleteMultipartUpload><Prefix> spaced/ </Prefix><Status> Disabled </Status></Rule>"
                + "<Rule><ID></ID><Filter/><Status>Enabled</Status><Expiration><Date>2030-05-01</Date></Expiration>"
                + "<Unknown>ignored</Unknown></Rule>"
                + "</LifecycleConfiguration>";
        assertThat(S3Xml.parseLifecycleConfiguration(bytes(body)).rules()).containsExactly(
                new LifecycleConfiguration.Rule("a", null, new LifecycleConfiguration.Filter(""), "Enabled",
                        new LifecycleConfiguration.Expiration(3, null), null),
                new LifecycleConfiguration.Rule(null, " spaced/ ", null, "Disabled", null, 2),
                new LifecycleConfiguration.Rule(null, null, new LifecycleConfiguration.Filter(null), "Enabled",
                        new LifecycleConfiguration.Expiration(null, Instant.parse("2030-05-01T00:00:00Z")), null));
    }

    @Test
    void scopeComesFromEitherForm() {
        assertThat(rule(null, "logs/").scope()).isEqualTo("logs/");
        assertThat(rule(new LifecycleConfiguration.Filter("tmp/"), null).scope()).isEqualTo("tmp/");
        assertThat(rule(new LifecycleConfiguration.Filter(null), null).scope()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "2030-05-01T00:00:00Z, 2030-05-01T00:00:00Z",
        "2030-05-01T00:00:00.000Z, 2030-05-01T00:00:00Z",
        "2030-05-01T02:00:00+02:00, 2030-05-01T00:00:00Z",
        "2030-05-01T00:00:00, 2030-05-01T00:00:00Z",
        "2030-05-01T10:30:00Z, 2030-05-01T10:30:00Z",
    })
    void datesInIsoFormsAreInstants(String sent, String instant) {
        String body = "<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><Expiration><Date>" + sent
                + "</Date></Expiration></Rule></LifecycleConfiguration>";
        assertThat(S3Xml.parseLifecycleConfiguration(bytes(body)).rules().get(0).expiration().date())
                .isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<LifecycleConfiguration/>",
        "<LifecycleConfiguration><Other/></LifecycleConfiguration>",
        "<BucketLifecycleConfiguration><Rule><Filter/><Status>Enabled</Status></Rule></BucketLifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/><Status>enabled</Status></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/><Status>invalid</Status></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Status>Enabled</Status></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Prefix>a</Prefix><Filter/><Status>Enabled</Status></Rule>"
                + "</LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/><Filter/><Status>Enabled</Status></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><ID>a</ID><ID>b</ID><Filter/><Status>Enabled</Status></Rule>"
                + "</LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><Expiration/></Rule>"
                + "</LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><Expiration><Days>1</Days>"
                + "<Date>2030-01-01</Date></Expiration></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><Expiration><Days>x</Days></Expiration>"
                + "</Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><Expiration><Days>99999999999</Days>"
                + "</Expiration></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><Expiration><Date>tomorrow</Date>"
                + "</Expiration></Rule></LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><AbortIncompleteMultipartUpload/></Rule>"
                + "</LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><AbortIncompleteMultipartUpload>"
                + "<DaysAfterInitiation>1.5</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>"
                + "</LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter><Prefix><b/></Prefix></Filter><Status>Enabled</Status></Rule>"
                + "</LifecycleConfiguration>",
        "<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status></Rule>",
    })
    void badShapesAreMalformed(String body) {
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> S3Xml.parseLifecycleConfiguration(bytes(body)));
        assertThat(e).as(body).isNotNull();
        assertThat(e.code()).isEqualTo(S3ErrorCode.MALFORMED_XML);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Transition | <Rule><Filter/><Status>Enabled</Status><Transition><Days>30</Days>"
                + "<StorageClass>GLACIER</StorageClass></Transition></Rule>",
        "NoncurrentVersionExpiration | <Rule><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration>"
                + "<NoncurrentDays>2</NoncurrentDays></NoncurrentVersionExpiration></Rule>",
        "NoncurrentVersionTransition | <Rule><Filter/><Status>Enabled</Status><NoncurrentVersionTransition>"
                + "<NoncurrentDays>2</NoncurrentDays></NoncurrentVersionTransition></Rule>",
        "Tag | <Rule><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule>",
        "And | <Rule><Filter><And><Prefix>a</Prefix></And></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule>",
        "ObjectSizeGreaterThan | <Rule><Filter><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan></Filter>"
                + "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
        "ExpiredObjectDeleteMarker | <Rule><Filter/><Status>Enabled</Status><Expiration>"
                + "<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>",
    })
    void lifecycleFeaturesTesseraLacksAreNotImplemented(String element, String rule) {
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> S3Xml.parseLifecycleConfiguration(
                bytes("<LifecycleConfiguration>" + rule + "</LifecycleConfiguration>")));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        assertThat(e.getMessage()).contains("<" + element + ">");
    }

    private static LifecycleConfiguration.Rule rule(LifecycleConfiguration.Filter filter, String prefix) {
        return new LifecycleConfiguration.Rule("id", prefix, filter, "Enabled", null, 1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
