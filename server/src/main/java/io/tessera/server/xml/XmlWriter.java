package io.tessera.server.xml;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming XML writer with byte-exact, implementation-independent output: the declaration, a newline,
 * then the document with no indentation. Text escaping follows what S3 sends: {@code & < > "} as entities
 * ({@code "} so that ETags read {@code &quot;...&quot;}), tab and newline literal, and every other character
 * XML 1.0 cannot carry literally (C0 controls, CR, U+FFFE/U+FFFF, lone surrogates) as a {@code &#x..;}
 * reference, as AWS does; clients that need such keys intact use {@code encoding-type=url}.
 * Not thread-safe; one instance per document.
 */
final class XmlWriter {
    static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(512);
    private final Deque<String> open = new ArrayDeque<>();

    XmlWriter() {
        out.append(DECLARATION).append('\n');
    }

    /** Opens the root element, with the S3 namespace when {@code namespaced}. */
    XmlWriter root(String name, boolean namespaced) {
        out.append('<').append(name);
        if (namespaced) {
            out.append(" xmlns=\"").append(S3Xml.NAMESPACE).append('"');
        }
        out.append('>');
        open.push(name);
        return this;
    }

    XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    /** Opens an element with two attributes, e.g. a namespace declaration and a {@code xsi:type}. */
    XmlWriter startWithAttribute(String name, String attr1, String value1, String attr2, String value2) {
        out.append('<').append(name).append(' ').append(attr1).append("=\"");
        escape(value1);
        out.append("\" ").append(attr2).append("=\"");
        escape(value2);
        out.append("\">");
        open.push(name);
        return this;
    }

    XmlWriter end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** Writes text inside the currently open element. */
    XmlWriter text(String value) {
        escape(value);
        return this;
    }

    /** {@code <name>value</name>}; null is written as an empty element. */
    XmlWriter element(String name, String value) {
        out.append('<').append(name).append('>');
        if (value != null) {
            escape(value);
        }
        out.append("</").append(name).append('>');
        return this;
    }

    /** Like {@link #element} but writes nothing for null. */
    XmlWriter optional(String name, String value) {
        return value == null ? this : element(name, value);
    }

    XmlWriter element(String name, long value) {
        return element(name, Long.toString(value));
    }

    XmlWriter element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    /** An ISO-8601 UTC timestamp with milliseconds, e.g. {@code 2026-01-02T03:04:05.000Z}. */
    XmlWriter time(String name, Instant value) {
        return element(name, ISO_MILLIS.format(value));
    }

    /** An ETag with its double quotes. */
    XmlWriter etag(String name, String etag) {
        return element(name, ETags.quoted(etag));
    }

    /** The checksum elements that are set, in S3's order. */
    XmlWriter checksums(Checksums c) {
        return optional("ChecksumCRC32", c.crc32())
                .optional("ChecksumCRC32C", c.crc32c())
                .optional("ChecksumCRC64NVME", c.crc64nvme())
                .optional("ChecksumSHA1", c.sha1())
                .optional("ChecksumSHA256", c.sha256());
    }

    /** An {@code Owner}/{@code Initiator} element; nothing for null. */
    XmlWriter owner(String name, Owner owner) {
        if (owner == null) {
            return this;
        }
        return start(name).element("ID", owner.id()).optional("DisplayName", owner.displayName()).end();
    }

    byte[] toBytes() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements " + open);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    out.append("&amp;");
                    break;
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\t':
                case '\n':
                    out.append(c);
                    break;
                default:
                    if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                        reference(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        reference(c);
                    } else {
                        out.append(c);
                    }
            }
        }
    }

    private void reference(char c) {
        out.append("&#x").append(Integer.toHexString(c)).append(';');
    }
}
