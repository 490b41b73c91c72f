package io.tessera.server.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns parsed request trees into request records; every shape violation is {@code MalformedXML}.
 * Element names are matched by local name, so bodies with or without the S3 namespace are accepted; unknown
 * elements are ignored. Stateless.
 */
final class RequestParser {
    private RequestParser() {
    }

    static CompleteMultipartUpload completeMultipartUpload(byte[] body) {
        XmlElement root = XmlReader.parse(body, "CompleteMultipartUpload");
        List<XmlElement> partElements = root.children("Part");
        if (partElements.isEmpty()) {
            throw XmlElement.malformed("at least one <Part> is required");
        }
        List<CompleteMultipartUpload.Part> parts = new ArrayList<>(partElements.size());
        for (XmlElement p : partElements) {
            int number = parseInt(p.requiredChild("PartNumber").text(), "PartNumber");
            String etag = p.requiredChild("ETag").text().strip();
            parts.add(new CompleteMultipartUpload.Part(number, etag, checksums(p)));
        }
        return new CompleteMultipartUpload(parts);
    }

    static DeleteObjectsRequest deleteObjects(byte[] body) {
        XmlElement root = XmlReader.parse(body, "Delete");
        boolean quiet = false;
        XmlElement quietElement = root.optionalChild("Quiet");
        if (quietElement != null) {
            String v = quietElement.text().strip().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw XmlElement.malformed("<Quiet> must be true or false");
            }
            quiet = v.equals("true");
        }
        List<XmlElement> objectElements = root.children("Object");
        if (objectElements.isEmpty() || objectElements.size() > S3Xml.MAX_DELETE_OBJECTS) {
            throw XmlElement.malformed("between 1 and " + S3Xml.MAX_DELETE_OBJECTS + " <Object> are required");
        }
        List<DeleteObjectsRequest.ObjectIdentifier> objects = new ArrayList<>(objectElements.size());
        for (XmlElement o : objectElements) {
            String key = o.requiredChild("Key").text();
            objects.add(new DeleteObjectsRequest.ObjectIdentifier(key, optionalText(o, "VersionId"),
                    optionalText(o, "ETag"), optionalText(o, "LastModifiedTime"), optionalText(o, "Size")));
        }
        return new DeleteObjectsRequest(quiet, objects);
    }

    static CreateBucketConfiguration createBucketConfiguration(byte[] body) {
        XmlElement root = XmlReader.parse(body, "CreateBucketConfiguration");
        return new CreateBucketConfiguration(optionalText(root, "LocationConstraint"));
    }

    private static Checksums checksums(XmlElement part) {
        return new Checksums(optionalText(part, "ChecksumCRC32"), optionalText(part, "ChecksumCRC32C"),
                optionalText(part, "ChecksumCRC64NVME"), optionalText(part, "ChecksumSHA1"),
                optionalText(part, "ChecksumSHA256"));
    }

    /** Trimmed text of an optional single child; absent or blank gives null. */
    private static String optionalText(XmlElement parent, String name) {
        XmlElement e = parent.optionalChild(name);
        if (e == null) {
            return null;
        }
        String v = e.text().strip();
        return v.isEmpty() ? null : v;
    }

    private static int parseInt(String text, String element) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw XmlElement.malformed("<" + element + "> must be an integer");
        }
    }
}
