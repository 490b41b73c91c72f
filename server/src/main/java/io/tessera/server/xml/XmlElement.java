package io.tessera.server.xml;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;

import java.util.ArrayList;
import java.util.List;

/**
 * One element of a parsed request body: local name (namespace ignored), accumulated text and child elements.
 * Built by {@link XmlReader}; read by {@link RequestParser}. Accessors fail with {@code MalformedXML} when the
 * document does not have the expected shape. Not thread-safe (confined to one request).
 */
final class XmlElement {
    private final String name;
    private final StringBuilder text = new StringBuilder();
    private final List<XmlElement> children = new ArrayList<>();

    XmlElement(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void appendText(String s) {
        text.append(s);
    }

    void addChild(XmlElement child) {
        children.add(child);
    }

    /** The text of a leaf element, exactly as sent; fails if the element has child elements. */
    String text() {
        if (!children.isEmpty()) {
            throw malformed("<" + name + "> must not contain elements");
        }
        return text.toString();
    }

    /** All children with this local name, in document order. */
    List<XmlElement> children(String childName) {
        List<XmlElement> found = new ArrayList<>();
        for (XmlElement c : children) {
            if (c.name.equals(childName)) {
                found.add(c);
            }
        }
        return found;
    }

    /** The single child with this name, or null; fails when it occurs more than once. */
    XmlElement optionalChild(String childName) {
        List<XmlElement> found = children(childName);
        if (found.size() > 1) {
            throw malformed("<" + childName + "> occurs more than once in <" + name + ">");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** The single child with this name; fails when it is missing or repeated. */
    XmlElement requiredChild(String childName) {
        XmlElement c = optionalChild(childName);
        if (c == null) {
            throw malformed("<" + name + "> lacks <" + childName + ">");
        }
        return c;
    }

    static S3Exception malformed(String why) {
        return new S3Exception(S3ErrorCode.MALFORMED_XML,
                S3ErrorCode.MALFORMED_XML.defaultMessage() + " (" + why + ")");
    }
}
