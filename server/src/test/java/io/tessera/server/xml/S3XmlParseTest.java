package io.tessera.server.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of the three request bodies: round trips, tolerated variations, and everything that is MalformedXML. */
class S3XmlParseTest {
    private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    // ---- round trips ----

    @Test
    void completeMultipartUploadRoundTrips() throws IOException {
        CompleteMultipartUpload doc = (CompleteMultipartUpload) GoldenDocuments.all().get("CompleteMultipartUpload");
        assertThat(S3Xml.parseCompleteMultipartUpload(S3Xml.toBytes(doc))).isEqualTo(doc);
        assertThat(S3Xml.parseCompleteMultipartUpload(golden("CompleteMultipartUpload"))).isEqualTo(doc);
    }

    @Test
    void completeMultipartUploadWithEveryChecksumRoundTrips() {
        Checksums all = new Checksums("a", "b", "c", "d", "e");
        CompleteMultipartUpload doc = new CompleteMultipartUpload(List.of(
                new CompleteMultipartUpload.Part(3, "\"x\"", all),
                new CompleteMultipartUpload.Part(1, "y", null),
                new CompleteMultipartUpload.Part(1, "y", null)));
        assertThat(S3Xml.parseCompleteMultipartUpload(S3Xml.toBytes(doc))).isEqualTo(doc);
    }

    @Test
    void deleteRoundTrips() throws IOException {
        DeleteObjectsRequest doc = (DeleteObjectsRequest) GoldenDocuments.all().get("Delete");
        assertThat(S3Xml.parseDeleteObjects(S3Xml.toBytes(doc))).isEqualTo(doc);
        assertThat(S3Xml.parseDeleteObjects(golden("Delete"))).isEqualTo(doc);
        DeleteObjectsRequest loud = new DeleteObjectsRequest(false, List.of(
                new DeleteObjectsRequest.ObjectIdentifier("  spaced & <odd> \"key\" ", null)));
        assertThat(S3Xml.parseDeleteObjects(S3Xml.toBytes(loud))).isEqualTo(loud);
        DeleteObjectsRequest conditions = (DeleteObjectsRequest) GoldenDocuments.all().get("Delete-conditions");
        assertThat(S3Xml.parseDeleteObjects(golden("Delete-conditions"))).isEqualTo(conditions);
    }

    @Test
    void createBucketConfigurationRoundTrips() throws IOException {
        CreateBucketConfiguration doc = new CreateBucketConfiguration("eu-west-1");
        assertThat(S3Xml.parseCreateBucketConfiguration(S3Xml.toBytes(doc))).isEqualTo(doc);
        assertThat(S3Xml.parseCreateBucketConfiguration(golden("CreateBucketConfiguration"))).isEqualTo(doc);
        CreateBucketConfiguration none = new CreateBucketConfiguration(null);
        assertThat(S3Xml.parseCreateBucketConfiguration(S3Xml.toBytes(none))).isEqualTo(none);
    }

    @Test
    void taggingCorsAndAclRoundTrip() throws IOException {
        for (String name : List.of("Tagging", "CORSConfiguration", "AccessControlPolicy")) {
            S3XmlDocument doc = GoldenDocuments.all().get(name);
            Function<byte[], S3XmlDocument> parse = switch (name) {
                case "Tagging" -> S3Xml::parseTagging;
                case "CORSConfiguration" -> S3Xml::parseCorsConfiguration;
                default -> S3Xml::parseAccessControlPolicy;
            };
            assertThat(parse.apply(S3Xml.toBytes(doc))).as(name).isEqualTo(doc);
            assertThat(parse.apply(golden(name))).as(name).isEqualTo(doc);
        }
    }

    @Test
    void malformedTaggingCorsAndAclBodiesAreMalformedXml() {
        List<Runnable> bad = List.of(
                () -> S3Xml.parseTagging(bytes("<Tagging/>")),
                () -> S3Xml.parseTagging(bytes("<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>")),
                () -> S3Xml.parseCorsConfiguration(bytes("<CORSConfiguration><CORSRule><MaxAgeSeconds>x"
                        + "</MaxAgeSeconds></CORSRule></CORSConfiguration>")),
                () -> S3Xml.parseAccessControlPolicy(bytes("<AccessControlPolicy><AccessControlList><Grant>"
                        + "<Grantee><ID>a</ID><URI>b</URI></Grantee><Permission>READ</Permission></Grant>"
                        + "</AccessControlList></AccessControlPolicy>")),
                () -> S3Xml.parseAccessControlPolicy(bytes("<AccessControlPolicy><AccessControlList><Grant>"
                        + "<Grantee><ID>a</ID></Grantee></Grant></AccessControlList></AccessControlPolicy>")));
        for (Runnable r : bad) {
            assertThat(catchThrowableOfType(S3Exception.class, r::run).code()).isEqualTo(S3ErrorCode.MALFORMED_XML);
        }
    }

    // ---- accepted variations ----

    @Test
    void completeAcceptsNoNamespaceAnyOrderLiteralQuotesAndWhitespace() {
        String body = "<CompleteMultipartUpload>\n"
                + "  <Part><ETag>\"etag-1\"</ETag><PartNumber> 1 </PartNumber></Part>\n"
                + "  <Part>\n    <PartNumber>2</PartNumber>\n    <ETag>\n      etag-2\n    </ETag>\n"
                + "    <ChecksumSHA256>47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=</ChecksumSHA256>\n"
                + "    <ChecksumSHA512>ignored</ChecksumSHA512>\n  </Part>\n"
                + "  <Unknown>ignored</Unknown>\n"
                + "</CompleteMultipartUpload>";
        CompleteMultipartUpload doc = S3Xml.parseCompleteMultipartUpload(bytes(body));
        assertThat(doc.parts()).containsExactly(
                new CompleteMultipartUpload.Part(1, "\"etag-1\"", Checksums.NONE),
                new CompleteMultipartUpload.Part(2, "etag-2",
                        new Checksums(null, null, null, null, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")));
    }

    @Test
    void completeAcceptsDeclarationCommentsAndPrefixedNamespace() {
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!-- from a client -->"
                + "<s3:CompleteMultipartUpload xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<?pi ignored?><s3:Part><s3:PartNumber>7</s3:PartNumber><s3:ETag>&quot;e&quot;</s3:ETag></s3:Part>"
                + "</s3:CompleteMultipartUpload>";
        assertThat(S3Xml.parseCompleteMultipartUpload(bytes(body)).parts())
                .containsExactly(new CompleteMultipartUpload.Part(7, "\"e\"", Checksums.NONE));
    }

    @Test
    void partNumbersAreNotRangeCheckedHere() {
        String body = "<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>e</ETag></Part>"
                + "<Part><PartNumber>-1</PartNumber><ETag>e</ETag></Part>"
                + "<Part><PartNumber>10001</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>";
        assertThat(S3Xml.parseCompleteMultipartUpload(bytes(body)).parts())
                .extracting(CompleteMultipartUpload.Part::partNumber).containsExactly(0, -1, 10001);
    }

    @Test
    void deleteKeepsKeysExactlyAndDefaultsToLoud() {
        String body = "<Delete" + NS + "><Object><Key>  a&amp;b&#x20;c  </Key></Object>"
                + "<Object><Key><![CDATA[<cdata & key>]]></Key><VersionId> v1 </VersionId></Object>"
                + "<Object><Key>한글/€</Key><VersionId></VersionId></Object></Delete>";
        DeleteObjectsRequest doc = S3Xml.parseDeleteObjects(bytes(body));
        assertThat(doc.quiet()).isFalse();
        assertThat(doc.objects()).containsExactly(
                new DeleteObjectsRequest.ObjectIdentifier("  a&b c  ", null),
                new DeleteObjectsRequest.ObjectIdentifier("<cdata & key>", "v1"),
                new DeleteObjectsRequest.ObjectIdentifier("한글/€", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", " True ", "false", "False"})
    void quietAcceptsBooleans(String quiet) {
        String body = "<Delete><Quiet>" + quiet + "</Quiet><Object><Key>k</Key></Object></Delete>";
        assertThat(S3Xml.parseDeleteObjects(bytes(body)).quiet())
                .isEqualTo(quiet.strip().equalsIgnoreCase("true"));
    }

    @Test
    void deleteAcceptsExactlyTheMaximumNumberOfObjects() {
        DeleteObjectsRequest doc = S3Xml.parseDeleteObjects(bytes(deleteWith(S3Xml.MAX_DELETE_OBJECTS)));
        assertThat(doc.objects()).hasSize(1000);
    }

    @Test
    void createBucketConfigurationToleratesEmptyAndExtraElements() {
        assertThat(S3Xml.parseCreateBucketConfiguration(bytes(
                "<CreateBucketConfiguration" + NS + "><LocationConstraint/></CreateBucketConfiguration>")))
                .isEqualTo(new CreateBucketConfiguration(null));
        assertThat(S3Xml.parseCreateBucketConfiguration(bytes("<CreateBucketConfiguration/>")))
                .isEqualTo(new CreateBucketConfiguration(null));
        assertThat(S3Xml.parseCreateBucketConfiguration(bytes("<CreateBucketConfiguration>"
                + "<Location><Type>AvailabilityZone</Type></Location><LocationConstraint> us-west-2 "
                + "</LocationConstraint></CreateBucketConfiguration>")))
                .isEqualTo(new CreateBucketConfiguration("us-west-2"));
    }

    // ---- MalformedXML ----

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "hello",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part></Complete>",
        "<CompleteMultipartUpload></CompleteMultipartUpload>",
        "<CompleteMultipartUpload" + NS + "/>",
        "<CompleteMultipartUpload><Other/></CompleteMultipartUpload>",
        "<Delete><Object><Key>k</Key></Object></Delete>",
        "<CompleteMultipartUploadResult><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part>"
                + "</CompleteMultipartUploadResult>",
        "<CompleteMultipartUpload><Part><PartNumber>abc</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1.5</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber></PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>99999999999</PartNumber><ETag>e</ETag></Part>"
                + "</CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>0x10</PartNumber><ETag>e</ETag></Part>"
                + "</CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>e</ETag>"
                + "</Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber><n>1</n></PartNumber><ETag>e</ETag></Part>"
                + "</CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part>"
                + "</CompleteMultipartUpload><CompleteMultipartUpload/>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&bogus;</ETag></Part>"
                + "</CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part>"
                + "</CompleteMultipartUpload>trailing",
    })
    void badCompleteBodiesAreMalformed(String body) {
        assertMalformed(S3Xml::parseCompleteMultipartUpload, bytes(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<Delete></Delete>",
        "<Delete><Quiet>true</Quiet></Delete>",
        "<Delete><Quiet>yes</Quiet><Object><Key>k</Key></Object></Delete>",
        "<Delete><Quiet>true</Quiet><Quiet>true</Quiet><Object><Key>k</Key></Object></Delete>",
        "<Delete><Object><VersionId>v</VersionId></Object></Delete>",
        "<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>",
        "<Delete><Object><Key><b>k</b></Key></Object></Delete>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<Delete><Object><Key>k</Key></Object>",
        "<Delete><Object><Key>\u0001</Key></Object></Delete>",
    })
    void badDeleteBodiesAreMalformed(String body) {
        assertMalformed(S3Xml::parseDeleteObjects, bytes(body));
    }

    @Test
    void deleteWithTooManyObjectsIsMalformed() {
        assertMalformed(S3Xml::parseDeleteObjects, bytes(deleteWith(S3Xml.MAX_DELETE_OBJECTS + 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<LocationConstraint>eu-west-1</LocationConstraint>",
        "<CreateBucketConfiguration><LocationConstraint>a</LocationConstraint>",
        "<CreateBucketConfiguration><LocationConstraint>a</LocationConstraint>"
                + "<LocationConstraint>b</LocationConstraint></CreateBucketConfiguration>"})
    void badCreateBucketBodiesAreMalformed(String body) {
        assertMalformed(S3Xml::parseCreateBucketConfiguration, bytes(body));
    }

    @Test
    void nullBodyIsMalformed() {
        assertMalformed(S3Xml::parseCompleteMultipartUpload, null);
    }

    @Test
    void entityExpansionBombIsRejected() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                dtd.append("&lol").append(i - 1).append(';');
            }
            dtd.append("\">");
        }
        dtd.append("]><Delete><Object><Key>&lol9;</Key></Object></Delete>");
        long start = System.nanoTime();
        assertMalformed(S3Xml::parseDeleteObjects, bytes(dtd.toString()));
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void internalEntityIsRejectedEvenWhenHarmless() {
        assertMalformed(S3Xml::parseDeleteObjects, bytes(
                "<!DOCTYPE Delete [<!ENTITY k \"key\">]><Delete><Object><Key>&k;</Key></Object></Delete>"));
    }

    @Test
    void externalEntityIsNotResolved() {
        String body = "<!DOCTYPE Delete [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>"
                + "<Delete><Object><Key>&xxe;</Key></Object></Delete>";
        assertMalformed(S3Xml::parseDeleteObjects, bytes(body));
    }

    @Test
    void externalDtdIsNotFetched() {
        String body = "<!DOCTYPE CompleteMultipartUpload SYSTEM \"http://127.0.0.1:9/evil.dtd\">"
                + "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part>"
                + "</CompleteMultipartUpload>";
        assertMalformed(S3Xml::parseCompleteMultipartUpload, bytes(body));
    }

    @Test
    void parameterEntityIsRejected() {
        String body = "<!DOCTYPE Delete [<!ENTITY % p SYSTEM \"file:///etc/hostname\"> %p;]>"
                + "<Delete><Object><Key>k</Key></Object></Delete>";
        assertMalformed(S3Xml::parseDeleteObjects, bytes(body));
    }

    @Test
    void deepNestingIsRejected() {
        String body = "<Delete><Object><Key>k</Key></Object>" + "<x>".repeat(100) + "</x>".repeat(100) + "</Delete>";
        assertMalformed(S3Xml::parseDeleteObjects, bytes(body));
    }

    @Test
    void oversizedBodyIsRejectedBeforeParsing() {
        byte[] big = new byte[S3Xml.MAX_REQUEST_BYTES + 1];
        assertMalformed(S3Xml::parseDeleteObjects, big);
    }

    @Test
    void malformedErrorsCarryTheStandardMessagePrefix() {
        S3Exception e = catchThrowableOfType(S3Exception.class,
                () -> S3Xml.parseCompleteMultipartUpload(bytes("<CompleteMultipartUpload/>")));
        assertThat(e.getMessage()).startsWith(S3ErrorCode.MALFORMED_XML.defaultMessage());
    }

    private static <T> void assertMalformed(Function<byte[], T> parser, byte[] body) {
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> parser.apply(body));
        assertThat(e).as(() -> "must be rejected: " + (body == null ? null
                : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8))).isNotNull();
        assertThat(e.code()).isEqualTo(S3ErrorCode.MALFORMED_XML);
    }

    private static String deleteWith(int n) {
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            objects.add("<Object><Key>key-" + i + "</Key></Object>");
        }
        return "<Delete" + NS + ">" + String.join("", objects) + "</Delete>";
    }

    private static byte[] golden(String name) throws IOException {
        try (var in = S3XmlParseTest.class.getResourceAsStream("/xml/" + name + ".xml")) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
