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
            objects.add(new DeleteObjectsRequest.ObjectIdentifier(key, optionalText(o, "VersionId")));
        }
        return new DeleteObjectsRequest(quiet, objects);
    }

    static CreateBucketConfiguration createBucketConfiguration(byte[] body) {
        XmlElement root = XmlReader.parse(body, "CreateBucketConfiguration");
        return new CreateBucketConfiguration(optionalText(root, "LocationConstraint"));
    }

    static Tagging tagging(byte[] body) {
        XmlElement root = XmlReader.parse(body, "Tagging");
        List<Tagging.Tag> tags = new ArrayList<>();
        for (XmlElement t : root.requiredChild("TagSet").children("Tag")) {
            tags.add(new Tagging.Tag(t.requiredChild("Key").text(), t.requiredChild("Value").text()));
        }
        return new Tagging(tags);
    }

    static CorsConfiguration cors(byte[] body) {
        XmlElement root = XmlReader.parse(body, "CORSConfiguration");
        List<CorsConfiguration.Rule> rules = new ArrayList<>();
        for (XmlElement r : root.children("CORSRule")) {
            XmlElement maxAge = r.optionalChild("MaxAgeSeconds");
            Integer seconds = maxAge == null || maxAge.text().isBlank() ? null : parseInt(maxAge.text(), "MaxAgeSeconds");
            rules.add(new CorsConfiguration.Rule(optionalText(r, "ID"), texts(r, "AllowedOrigin"),
                    texts(r, "AllowedMethod"), texts(r, "AllowedHeader"), texts(r, "ExposeHeader"), seconds));
        }
        return new CorsConfiguration(rules);
    }

    static AccessControlPolicy accessControlPolicy(byte[] body) {
        XmlElement root = XmlReader.parse(body, "AccessControlPolicy");
        XmlElement owner = root.optionalChild("Owner");
        String ownerId = owner == null ? null : optionalText(owner, "ID");
        List<AccessControlPolicy.Grant> grants = new ArrayList<>();
        XmlElement list = root.optionalChild("AccessControlList");
        for (XmlElement g : list == null ? List.<XmlElement>of() : list.children("Grant")) {
            XmlElement grantee = g.requiredChild("Grantee");
            String id = optionalText(grantee, "ID");
            String uri = optionalText(grantee, "URI");
            String email = optionalText(grantee, "EmailAddress");
            if ((id != null ? 1 : 0) + (uri != null ? 1 : 0) + (email != null ? 1 : 0) != 1) {
                throw XmlElement.malformed("a <Grantee> names exactly one of <ID>, <URI> and <EmailAddress>");
            }
            String type = id != null ? AccessControlPolicy.CANONICAL_USER
                    : uri != null ? AccessControlPolicy.GROUP : AccessControlPolicy.BY_EMAIL;
            grants.add(new AccessControlPolicy.Grant(type, id != null ? id : uri != null ? uri : email,
                    g.requiredChild("Permission").text().strip()));
        }
        return new AccessControlPolicy(ownerId, grants);
    }

    /** The trimmed texts of every child with this name, in order. */
    private static List<String> texts(XmlElement parent, String name) {
        List<String> out = new ArrayList<>();
        for (XmlElement e : parent.children(name)) {
            out.add(e.text().strip());
        }
        return out;
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
