package io.tessera.server.xml;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns parsed request trees into request records; every shape violation is {@code MalformedXML}.
 * Element names are matched by local name, so bodies with or without the S3 namespace are accepted; unknown
 * elements are ignored, except the lifecycle elements Tessera knows but does not apply ({@code NotImplemented}).
 * Stateless.
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

    static VersioningConfiguration versioningConfiguration(byte[] body) {
        XmlElement root = XmlReader.parse(body, "VersioningConfiguration");
        XmlElement status = root.optionalChild("Status");
        String s = status == null ? null : status.text();
        if (s != null && !s.equals("Enabled") && !s.equals("Suspended")) {
            throw XmlElement.malformed("Status must be Enabled or Suspended");
        }
        return new VersioningConfiguration(s);
    }

    static LifecycleConfiguration lifecycleConfiguration(byte[] body) {
        XmlElement root = XmlReader.parse(body, "LifecycleConfiguration");
        List<XmlElement> ruleElements = root.children("Rule");
        if (ruleElements.isEmpty()) {
            throw XmlElement.malformed("at least one <Rule> is required");
        }
        List<LifecycleConfiguration.Rule> rules = new ArrayList<>(ruleElements.size());
        for (XmlElement r : ruleElements) {
            rules.add(lifecycleRule(r));
        }
        return new LifecycleConfiguration(rules);
    }

    private static LifecycleConfiguration.Rule lifecycleRule(XmlElement r) {
        notImplemented(r, "Transition", "NoncurrentVersionTransition", "NoncurrentVersionExpiration");
        XmlElement prefixElement = r.optionalChild("Prefix");
        XmlElement filterElement = r.optionalChild("Filter");
        if ((prefixElement == null) == (filterElement == null)) {
            throw XmlElement.malformed("a <Rule> needs exactly one of <Filter> and <Prefix>");
        }
        LifecycleConfiguration.Filter filter = null;
        if (filterElement != null) {
            notImplemented(filterElement, "Tag", "And", "ObjectSizeGreaterThan", "ObjectSizeLessThan");
            XmlElement p = filterElement.optionalChild("Prefix");
            filter = new LifecycleConfiguration.Filter(p == null ? null : p.text());
        }
        String status = r.requiredChild("Status").text().strip();
        if (!status.equals("Enabled") && !status.equals("Disabled")) {
            throw XmlElement.malformed("<Status> must be Enabled or Disabled");
        }
        XmlElement idElement = r.optionalChild("ID");
        String id = idElement == null || idElement.text().isEmpty() ? null : idElement.text();
        LifecycleConfiguration.Expiration expiration = null;
        XmlElement e = r.optionalChild("Expiration");
        if (e != null) {
            notImplemented(e, "ExpiredObjectDeleteMarker");
            XmlElement days = e.optionalChild("Days");
            XmlElement date = e.optionalChild("Date");
            if ((days == null) == (date == null)) {
                throw XmlElement.malformed("<Expiration> needs exactly one of <Days> and <Date>");
            }
            expiration = new LifecycleConfiguration.Expiration(
                    days == null ? null : parseInt(days.text(), "Days"),
                    date == null ? null : parseDate(date.text()));
        }
        Integer abortDays = null;
        XmlElement abort = r.optionalChild("AbortIncompleteMultipartUpload");
        if (abort != null) {
            abortDays = parseInt(abort.requiredChild("DaysAfterInitiation").text(), "DaysAfterInitiation");
        }
        return new LifecycleConfiguration.Rule(id, prefixElement == null ? null : prefixElement.text(), filter,
                status, expiration, abortDays);
    }

    /** Fails with NotImplemented when {@code parent} has any of these (S3 lifecycle features Tessera lacks). */
    private static void notImplemented(XmlElement parent, String... names) {
        for (String name : names) {
            if (!parent.children(name).isEmpty()) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                        "The lifecycle element <" + name + "> is not implemented.");
            }
        }
    }

    /** An ISO 8601 date-time (a zone-less one is UTC) or a bare date (midnight UTC). */
    private static Instant parseDate(String text) {
        String s = text.strip();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // try the zone-less forms
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try a bare date
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw XmlElement.malformed("<Date> must be an ISO 8601 date");
        }
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
