package io.tessera.server.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;

/**
 * Compares the exact bytes {@link S3Xml#toBytes} writes with the hand-written files under
 * {@code src/test/resources/xml}. The files are indented for reading; {@link #expected} turns them into the exact
 * expected bytes by keeping the first line (the declaration) and its newline and deleting every other line break
 * together with the indentation that follows it.
 */
class S3XmlGoldenTest {

    static Stream<Arguments> documents() {
        return GoldenDocuments.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void matchesGoldenFile(String name, S3XmlDocument doc) throws IOException {
        String actual = new String(S3Xml.toBytes(doc), StandardCharsets.UTF_8);
        assertThat(actual).isEqualTo(expected(name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void isWellFormedWithTheRightRootAndNamespace(String name, S3XmlDocument doc) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        Element root = f.newDocumentBuilder().parse(new ByteArrayInputStream(S3Xml.toBytes(doc)))
                .getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo(doc.rootElement());
        if (doc instanceof ErrorDocument) {
            assertThat(root.getNamespaceURI()).isNull();
        } else {
            assertThat(root.getNamespaceURI()).isEqualTo(S3Xml.NAMESPACE);
        }
    }

    @Test
    void everyDocumentTypeHasAGoldenFile() {
        Set<Class<?>> covered = new HashSet<>();
        GoldenDocuments.all().values().forEach(d -> covered.add(d.getClass()));
        Set<Class<?>> all = Arrays.stream(S3XmlDocument.class.getPermittedSubclasses()).collect(Collectors.toSet());
        assertThat(covered).isEqualTo(all);
    }

    @Test
    void everyGoldenFileIsUsed() throws IOException {
        Map<String, S3XmlDocument> docs = GoldenDocuments.all();
        try (InputStream in = S3XmlGoldenTest.class.getResourceAsStream("/xml/")) {
            assertThat(in).isNotNull();
            Set<String> files = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(f -> f.endsWith(".xml"))
                    .map(f -> f.substring(0, f.length() - 4))
                    .collect(Collectors.toSet());
            assertThat(files).isEqualTo(docs.keySet());
        }
    }

    static String expected(String name) throws IOException {
        try (InputStream in = S3XmlGoldenTest.class.getResourceAsStream("/xml/" + name + ".xml")) {
            assertThat(in).as("golden file %s.xml", name).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            int firstBreak = text.indexOf('\n');
            return text.substring(0, firstBreak + 1) + text.substring(firstBreak + 1).replaceAll("\n *", "");
        }
    }
}
