package io.tessera.server.xml;

import io.tessera.server.error.S3Exception;

/**
 * The one place where S3 XML documents become bytes and request bodies become records.
 *
 * <p>Output ({@link #toBytes}): {@code <?xml version="1.0" encoding="UTF-8"?>}, a newline, then the document
 * without indentation; every root but {@code <Error>} carries {@code xmlns="}{@value #NAMESPACE}{@code "};
 * optional elements whose record component is null are left out; lists are flattened where S3 flattens them;
 * ETags are quoted; timestamps are ISO-8601 UTC with milliseconds.
 *
 * <p>Input ({@code parse*}): the body must be well-formed, have the expected root (namespace optional) and the
 * required elements, and carry no DOCTYPE or entity; otherwise {@code MalformedXML}. Callers should refuse
 * bodies over {@link #MAX_REQUEST_BYTES} before buffering them. Stateless and thread-safe.
 */
public final class S3Xml {
    /** Namespace of every S3 response root except {@code <Error>}. */
    public static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    /** Content-Type of XML bodies. */
    public static final String CONTENT_TYPE = "application/xml";
    /** Largest request body the parsers accept (2 MiB); a 1000-key Delete with 1024-byte keys fits. */
    public static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;
    /** Most {@code <Object>} entries one DeleteObjects request may carry. */
    public static final int MAX_DELETE_OBJECTS = 1000;

    private S3Xml() {
    }

    /** Serialises a document to UTF-8 bytes. */
    public static byte[] toBytes(S3XmlDocument document) {
        return DocumentWriter.write(document);
    }

    /**
     * Parses a CompleteMultipartUpload body.
     *
     * @throws S3Exception {@code MalformedXML} when unparseable, with a wrong root, without any {@code <Part>},
     *     or with a Part lacking {@code PartNumber}/{@code ETag} or having a non-integer PartNumber
     */
    public static CompleteMultipartUpload parseCompleteMultipartUpload(byte[] body) {
        return RequestParser.completeMultipartUpload(body);
    }

    /**
     * Parses a DeleteObjects ({@code <Delete>}) body.
     *
     * @throws S3Exception {@code MalformedXML} when unparseable, with a wrong root, with no or more than
     *     {@link #MAX_DELETE_OBJECTS} objects, an object without Key, or a Quiet that is not true/false
     */
    public static DeleteObjectsRequest parseDeleteObjects(byte[] body) {
        return RequestParser.deleteObjects(body);
    }

    /**
     * Parses a CreateBucket body. An absent body means "no configuration" and must not be passed here.
     *
     * @throws S3Exception {@code MalformedXML} when unparseable or with a wrong root
     */
    public static CreateBucketConfiguration parseCreateBucketConfiguration(byte[] body) {
        return RequestParser.createBucketConfiguration(body);
    }

    /**
     * Parses a PutBucketLifecycleConfiguration body (or a stored one). Values are not checked here.
     *
     * @throws S3Exception {@code MalformedXML} when unparseable, with a wrong root, without any {@code <Rule>},
     *     or with a rule lacking a valid {@code Status}, having both or neither of {@code Filter} and
     *     {@code Prefix}, an {@code Expiration} without exactly one of {@code Days} and {@code Date}, or a
     *     number or date that does not parse; {@code NotImplemented} for transitions, noncurrent-version
     *     actions, tag or size filters and {@code ExpiredObjectDeleteMarker}
     */
    public static LifecycleConfiguration parseLifecycleConfiguration(byte[] body) {
        return RequestParser.lifecycleConfiguration(body);
    }

    /**
     * Parses a {@code <Tagging>} body (PutObjectTagging, PutBucketTagging, the {@code tagging} field of a form
     * upload).
     *
     * @throws S3Exception {@code MalformedXML} when unparseable, with a wrong root, without {@code <TagSet>}, or
     *     with a Tag lacking Key or Value
     */
    public static Tagging parseTagging(byte[] body) {
        return RequestParser.tagging(body);
    }

    /**
     * Parses a PutBucketCors body.
     *
     * @throws S3Exception {@code MalformedXML} when unparseable, with a wrong root or a non-integer MaxAgeSeconds
     */
    public static CorsConfiguration parseCorsConfiguration(byte[] body) {
        return RequestParser.cors(body);
    }

    /**
     * Parses a Put Bucket/Object ACL body.
     *
     * @throws S3Exception {@code MalformedXML} when unparseable, with a wrong root, or with a Grant lacking a
     *     Permission or a Grantee naming not exactly one of ID, URI, EmailAddress
     */
    public static AccessControlPolicy parseAccessControlPolicy(byte[] body) {
        return RequestParser.accessControlPolicy(body);
    }

    /**
     * Parses a PutBucketVersioning body.
     *
     * @throws S3Exception {@code MalformedXML} when unparseable, with a wrong root, or a Status other than
     *     {@code Enabled} or {@code Suspended}
     */
    public static VersioningConfiguration parseVersioningConfiguration(byte[] body) {
        return RequestParser.versioningConfiguration(body);
    }
}
