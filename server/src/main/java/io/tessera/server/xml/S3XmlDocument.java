package io.tessera.server.xml;

/**
 * An S3 XML document Tessera writes or reads: the response bodies, the {@code <Error>} document and the request
 * bodies. Each implementation is an immutable record whose components mirror the document's elements; null
 * components stand for absent optional elements. {@link S3Xml} is the only place that turns them into bytes
 * and back.
 */
public sealed interface S3XmlDocument
        permits ListAllMyBucketsResult, ListBucketResultV1, ListBucketResultV2, LocationConstraint,
        InitiateMultipartUploadResult, CompleteMultipartUploadResult, ListPartsResult, ListMultipartUploadsResult,
        CopyObjectResult, CopyPartResult, DeleteResult, GetObjectAttributesResponse, ErrorDocument,
        CompleteMultipartUpload, DeleteObjectsRequest, CreateBucketConfiguration, LifecycleConfiguration,
        Tagging, CorsConfiguration, AccessControlPolicy, PostResponse, ListVersionsResult, VersioningConfiguration {

    /** The document's root element name, e.g. {@code ListBucketResult}. */
    String rootElement();
}
