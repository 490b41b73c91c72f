package io.tessera.server.xml;

import io.tessera.server.error.S3Exception;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses a small request body into an {@link XmlElement} tree with the JDK's built-in StAX parser (pinned with
 * {@link XMLInputFactory#newDefaultFactory()} so that the Woodstox jar Jackson brings does not change behaviour).
 *
 * <p>Hardening: DTD support and external entities are off, and any DOCTYPE or unresolved entity reference fails
 * the parse, so no XXE and no entity expansion ("billion laughs"). Depth, element count and size are capped.
 * Every failure is {@code MalformedXML}. Stateless and thread-safe (one factory per call).
 */
final class XmlReader {
    static final int MAX_DEPTH = 16;
    static final int MAX_ELEMENTS = 50_000;

    private XmlReader() {
    }

    /** Parses {@code body} and checks that the root's local name is {@code expectedRoot}. */
    static XmlElement parse(byte[] body, String expectedRoot) {
        if (body == null || body.length == 0) {
            throw XmlElement.malformed("empty body");
        }
        if (body.length > S3Xml.MAX_REQUEST_BYTES) {
            throw XmlElement.malformed("body larger than " + S3Xml.MAX_REQUEST_BYTES + " bytes");
        }
        XmlElement root;
        XMLStreamReader reader = null;
        try {
            reader = factory().createXMLStreamReader(new ByteArrayInputStream(body));
            root = read(reader);
        } catch (S3Exception e) {
            throw e;
        } catch (XMLStreamException | RuntimeException e) {
            throw XmlElement.malformed("not well-formed");
        } finally {
            close(reader);
        }
        if (root == null) {
            throw XmlElement.malformed("no root element");
        }
        if (!root.name().equals(expectedRoot)) {
            throw XmlElement.malformed("root must be <" + expectedRoot + ">");
        }
        return root;
    }

    private static XmlElement read(XMLStreamReader r) throws XMLStreamException {
        Deque<XmlElement> open = new ArrayDeque<>();
        XmlElement root = null;
        int elements = 0;
        while (r.hasNext()) {
            switch (r.next()) {
                case XMLStreamConstants.DTD:
                    throw XmlElement.malformed("DOCTYPE is not allowed");
                case XMLStreamConstants.ENTITY_REFERENCE:
                case XMLStreamConstants.ENTITY_DECLARATION:
                    throw XmlElement.malformed("entities are not allowed");
                case XMLStreamConstants.START_ELEMENT:
                    if (++elements > MAX_ELEMENTS || open.size() >= MAX_DEPTH) {
                        throw XmlElement.malformed("document too large or too deep");
                    }
                    XmlElement e = new XmlElement(r.getLocalName());
                    if (open.isEmpty()) {
                        root = e;
                    } else {
                        open.peek().addChild(e);
                    }
                    open.push(e);
                    break;
                case XMLStreamConstants.END_ELEMENT:
                    open.pop();
                    break;
                case XMLStreamConstants.CHARACTERS:
                case XMLStreamConstants.CDATA:
                case XMLStreamConstants.SPACE:
                    if (!open.isEmpty()) {
                        open.peek().appendText(r.getText());
                    }
                    break;
                default:
                    break;
            }
        }
        return root;
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not allowed");
        });
        return f;
    }

    private static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // nothing to release for an in-memory source
            }
        }
    }
}
