package io.tessera.server.xml;

import java.util.List;
import java.util.Map;

/**
 * Serialises each {@link S3XmlDocument} record: element names and order live here, one method per document.
 * Stateless; {@link S3Xml#toBytes} is the public entry point.
 */
final class DocumentWriter {
    private DocumentWriter() {
    }

    static byte[] write(S3XmlDocument doc) {
        XmlWriter w = new XmlWriter();
        if (doc instanceof ErrorDocument) {
            error(w, (ErrorDocument) doc);
            return w.toBytes();
        }
        w.root(doc.rootElement(), true);
        if (doc instanceof ListAllMyBucketsResult) {
            listBuckets(w, (ListAllMyBucketsResult) doc);
        } else if (doc instanceof ListBucketResultV1) {
            listV1(w, (ListBucketResultV1) doc);
        } else if (doc instanceof ListBucketResultV2) {
            listV2(w, (ListBucketResultV2) doc);
        } else if (doc instanceof LocationConstraint) {
            String region = ((LocationConstraint) doc).region();
            w.text(region == null ? "" : region);
        } else if (doc instanceof InitiateMultipartUploadResult) {
            InitiateMultipartUploadResult r = (InitiateMultipartUploadResult) doc;
            w.element("Bucket", r.bucket()).element("Key", r.key()).element("UploadId", r.uploadId());
        } else if (doc instanceof CompleteMultipartUploadResult) {
            CompleteMultipartUploadResult r = (CompleteMultipartUploadResult) doc;
            w.optional("Location", r.location()).element("Bucket", r.bucket()).element("Key", r.key())
                    .etag("ETag", r.etag()).checksums(r.checksums()).optional("ChecksumType", r.checksumType());
        } else if (doc instanceof ListPartsResult) {
            listParts(w, (ListPartsResult) doc);
        } else if (doc instanceof ListMultipartUploadsResult) {
            listUploads(w, (ListMultipartUploadsResult) doc);
        } else if (doc instanceof CopyObjectResult) {
            CopyObjectResult r = (CopyObjectResult) doc;
            w.etag("ETag", r.etag()).time("LastModified", r.lastModified())
                    .optional("ChecksumType", r.checksumType()).checksums(r.checksums());
        } else if (doc instanceof CopyPartResult) {
            CopyPartResult r = (CopyPartResult) doc;
            w.etag("ETag", r.etag()).time("LastModified", r.lastModified()).checksums(r.checksums());
        } else if (doc instanceof DeleteResult) {
            deleteResult(w, (DeleteResult) doc);
        } else if (doc instanceof GetObjectAttributesResponse) {
            objectAttributes(w, (GetObjectAttributesResponse) doc);
        } else if (doc instanceof CompleteMultipartUpload) {
            for (CompleteMultipartUpload.Part p : ((CompleteMultipartUpload) doc).parts()) {
                w.start("Part").element("PartNumber", p.partNumber()).element("ETag", p.etag())
                        .checksums(p.checksums()).end();
            }
        } else if (doc instanceof DeleteObjectsRequest) {
            DeleteObjectsRequest r = (DeleteObjectsRequest) doc;
            if (r.quiet()) {
                w.element("Quiet", true);
            }
            for (DeleteObjectsRequest.ObjectIdentifier o : r.objects()) {
                w.start("Object").element("Key", o.key()).optional("VersionId", o.versionId())
                        .optional("ETag", o.etag()).optional("LastModifiedTime", o.lastModifiedTime())
                        .optional("Size", o.size()).end();
            }
        } else if (doc instanceof CreateBucketConfiguration) {
            w.optional("LocationConstraint", ((CreateBucketConfiguration) doc).locationConstraint());
        } else if (doc instanceof LifecycleConfiguration) {
            lifecycle(w, (LifecycleConfiguration) doc);
        } else if (doc instanceof Tagging t) {
            w.start("TagSet");
            for (Tagging.Tag tag : t.tags()) {
                w.start("Tag").element("Key", tag.key()).element("Value", tag.value()).end();
            }
            w.end();
        } else if (doc instanceof CorsConfiguration c) {
            cors(w, c);
        } else if (doc instanceof AccessControlPolicy a) {
            acl(w, a);
        } else if (doc instanceof PostResponse p) {
            w.element("Location", p.location()).element("Bucket", p.bucket()).element("Key", p.key())
                    .etag("ETag", p.etag());
        } else if (doc instanceof ListVersionsResult) {
            listVersions(w, (ListVersionsResult) doc);
        } else if (doc instanceof VersioningConfiguration) {
            w.optional("Status", ((VersioningConfiguration) doc).status());
        } else {
            throw new IllegalArgumentException("no writer for " + doc.getClass());
        }
        return w.end().toBytes();
    }

    private static void listBuckets(XmlWriter w, ListAllMyBucketsResult r) {
        w.owner("Owner", r.owner()).start("Buckets");
        for (ListAllMyBucketsResult.Bucket b : r.buckets()) {
            w.start("Bucket").element("Name", b.name()).time("CreationDate", b.creationDate())
                    .optional("BucketRegion", b.bucketRegion()).end();
        }
        w.end().optional("ContinuationToken", r.continuationToken()).optional("Prefix", r.prefix());
    }

    private static void listV1(XmlWriter w, ListBucketResultV1 r) {
        String enc = r.encodingType();
        w.element("Name", r.name())
                .element("Prefix", UrlEncoding.apply(r.prefix(), enc))
                .element("Marker", UrlEncoding.apply(r.marker(), enc))
                .optional("NextMarker", UrlEncoding.apply(r.nextMarker(), enc))
                .element("MaxKeys", r.maxKeys())
                .optional("Delimiter", UrlEncoding.apply(r.delimiter(), enc))
                .optional("EncodingType", enc)
                .element("IsTruncated", r.isTruncated());
        contents(w, r.contents(), enc);
        commonPrefixes(w, r.commonPrefixes(), enc);
    }

    private static void listV2(XmlWriter w, ListBucketResultV2 r) {
        String enc = r.encodingType();
        w.element("Name", r.name())
                .element("Prefix", UrlEncoding.apply(r.prefix(), enc))
                .optional("StartAfter", UrlEncoding.apply(r.startAfter(), enc))
                .optional("ContinuationToken", r.continuationToken())
                .optional("NextContinuationToken", r.nextContinuationToken())
                .element("KeyCount", r.keyCount())
                .element("MaxKeys", r.maxKeys())
                .optional("Delimiter", UrlEncoding.apply(r.delimiter(), enc))
                .optional("EncodingType", enc)
                .element("IsTruncated", r.isTruncated());
        contents(w, r.contents(), enc);
        commonPrefixes(w, r.commonPrefixes(), enc);
    }

    private static void listVersions(XmlWriter w, ListVersionsResult r) {
        String enc = r.encodingType();
        w.element("Name", r.name())
                .element("Prefix", UrlEncoding.apply(r.prefix(), enc))
                .element("KeyMarker", UrlEncoding.apply(r.keyMarker(), enc))
                .element("VersionIdMarker", r.versionIdMarker())
                .optional("NextKeyMarker", UrlEncoding.apply(r.nextKeyMarker(), enc))
                .optional("NextVersionIdMarker", r.nextVersionIdMarker())
                .element("MaxKeys", r.maxKeys())
                .optional("Delimiter", UrlEncoding.apply(r.delimiter(), enc))
                .optional("EncodingType", enc)
                .element("IsTruncated", r.isTruncated());
        for (ListVersionsResult.Entry v : r.entries()) {
            w.start(v.deleteMarker() ? "DeleteMarker" : "Version").element("Key", UrlEncoding.apply(v.key(), enc))
                    .element("VersionId", v.versionId()).element("IsLatest", v.latest())
                    .time("LastModified", v.lastModified());
            if (!v.deleteMarker()) {
                w.etag("ETag", v.etag()).optional("ChecksumAlgorithm", v.checksumAlgorithm())
                        .optional("ChecksumType", v.checksumType()).element("Size", v.size());
            }
            if (v.owner() != null) {
                w.owner("Owner", v.owner());
            }
            if (!v.deleteMarker()) {
                w.element("StorageClass", "STANDARD");
            }
            w.end();
        }
        commonPrefixes(w, r.commonPrefixes(), enc);
    }

    private static void contents(XmlWriter w, List<ListedObject> contents, String enc) {
        for (ListedObject o : contents) {
            w.start("Contents").element("Key", UrlEncoding.apply(o.key(), enc))
                    .time("LastModified", o.lastModified()).etag("ETag", o.etag());
            for (String algorithm : o.checksumAlgorithms()) {
                w.element("ChecksumAlgorithm", algorithm);
            }
            w.optional("ChecksumType", o.checksumType()).element("Size", o.size())
                    .optional("StorageClass", o.storageClass()).owner("Owner", o.owner()).end();
        }
    }

    private static void commonPrefixes(XmlWriter w, List<String> prefixes, String enc) {
        for (String p : prefixes) {
            w.start("CommonPrefixes").element("Prefix", UrlEncoding.apply(p, enc)).end();
        }
    }

    private static void listParts(XmlWriter w, ListPartsResult r) {
        w.element("Bucket", r.bucket()).element("Key", r.key()).element("UploadId", r.uploadId())
                .owner("Initiator", r.initiator()).owner("Owner", r.owner())
                .optional("StorageClass", r.storageClass())
                .element("PartNumberMarker", r.partNumberMarker());
        if (r.nextPartNumberMarker() != null) {
            w.element("NextPartNumberMarker", r.nextPartNumberMarker());
        }
        w.element("MaxParts", r.maxParts()).element("IsTruncated", r.isTruncated());
        for (ListPartsResult.Part p : r.parts()) {
            w.start("Part").element("PartNumber", p.partNumber()).time("LastModified", p.lastModified())
                    .etag("ETag", p.etag()).element("Size", p.size()).checksums(p.checksums()).end();
        }
        w.optional("ChecksumAlgorithm", r.checksumAlgorithm()).optional("ChecksumType", r.checksumType());
    }

    private static void listUploads(XmlWriter w, ListMultipartUploadsResult r) {
        String enc = r.encodingType();
        w.element("Bucket", r.bucket())
                .element("KeyMarker", UrlEncoding.apply(r.keyMarker(), enc))
                .element("UploadIdMarker", r.uploadIdMarker())
                .element("NextKeyMarker", UrlEncoding.apply(r.nextKeyMarker(), enc))
                .element("NextUploadIdMarker", r.nextUploadIdMarker())
                .optional("Delimiter", UrlEncoding.apply(r.delimiter(), enc))
                .element("Prefix", UrlEncoding.apply(r.prefix(), enc))
                .element("MaxUploads", r.maxUploads())
                .element("IsTruncated", r.isTruncated())
                .optional("EncodingType", enc);
        for (ListMultipartUploadsResult.Upload u : r.uploads()) {
            w.start("Upload").element("Key", UrlEncoding.apply(u.key(), enc)).element("UploadId", u.uploadId())
                    .owner("Initiator", u.initiator()).owner("Owner", u.owner())
                    .optional("StorageClass", u.storageClass()).time("Initiated", u.initiated())
                    .optional("ChecksumAlgorithm", u.checksumAlgorithm())
                    .optional("ChecksumType", u.checksumType()).end();
        }
        commonPrefixes(w, r.commonPrefixes(), enc);
    }

    private static void deleteResult(XmlWriter w, DeleteResult r) {
        for (DeleteResult.Deleted d : r.deleted()) {
            w.start("Deleted").element("Key", d.key()).optional("VersionId", d.versionId());
            if (d.deleteMarker() != null) {
                w.element("DeleteMarker", d.deleteMarker().booleanValue());
            }
            w.optional("DeleteMarkerVersionId", d.deleteMarkerVersionId()).end();
        }
        for (DeleteResult.DeleteError e : r.errors()) {
            w.start("Error").element("Key", e.key()).optional("VersionId", e.versionId())
                    .element("Code", e.code()).element("Message", e.message()).end();
        }
    }

    private static void objectAttributes(XmlWriter w, GetObjectAttributesResponse r) {
        w.optional("ETag", r.etag());
        if (r.checksum() != null && !r.checksum().isEmpty()) {
            w.start("Checksum").checksums(r.checksum()).optional("ChecksumType", r.checksumType()).end();
        }
        GetObjectAttributesResponse.ObjectParts parts = r.objectParts();
        if (parts != null) {
            w.start("ObjectParts").element("PartsCount", parts.partsCount())
                    .element("PartNumberMarker", parts.partNumberMarker())
                    .element("NextPartNumberMarker", parts.nextPartNumberMarker())
                    .element("MaxParts", parts.maxParts()).element("IsTruncated", parts.isTruncated());
            for (GetObjectAttributesResponse.Part p : parts.parts()) {
                w.start("Part").element("PartNumber", p.partNumber()).element("Size", p.size())
                        .checksums(p.checksums()).end();
            }
            w.end();
        }
        w.optional("StorageClass", r.storageClass());
        if (r.objectSize() != null) {
            w.element("ObjectSize", r.objectSize().longValue());
        }
    }

    private static void lifecycle(XmlWriter w, LifecycleConfiguration c) {
        for (LifecycleConfiguration.Rule r : c.rules()) {
            w.start("Rule").optional("ID", r.id()).optional("Prefix", r.prefix());
            if (r.filter() != null) {
                w.start("Filter").optional("Prefix", r.filter().prefix()).end();
            }
            w.element("Status", r.status());
            LifecycleConfiguration.Expiration e = r.expiration();
            if (e != null) {
                w.start("Expiration");
                if (e.days() != null) {
                    w.element("Days", e.days());
                }
                if (e.date() != null) {
                    w.time("Date", e.date());
                }
                w.end();
            }
            if (r.abortDaysAfterInitiation() != null) {
                w.start("AbortIncompleteMultipartUpload")
                        .element("DaysAfterInitiation", r.abortDaysAfterInitiation()).end();
            }
            w.end();
        }
    }

    private static void cors(XmlWriter w, CorsConfiguration c) {
        for (CorsConfiguration.Rule r : c.rules()) {
            w.start("CORSRule").optional("ID", r.id());
            r.allowedHeaders().forEach(h -> w.element("AllowedHeader", h));
            r.allowedMethods().forEach(m -> w.element("AllowedMethod", m));
            r.allowedOrigins().forEach(o -> w.element("AllowedOrigin", o));
            r.exposeHeaders().forEach(h -> w.element("ExposeHeader", h));
            if (r.maxAgeSeconds() != null) {
                w.element("MaxAgeSeconds", r.maxAgeSeconds().longValue());
            }
            w.end();
        }
    }

    private static void acl(XmlWriter w, AccessControlPolicy a) {
        if (a.owner() != null) {
            w.start("Owner").element("ID", a.owner()).end();
        }
        w.start("AccessControlList");
        for (AccessControlPolicy.Grant g : a.grants()) {
            w.start("Grant").startWithAttribute("Grantee", "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance",
                    "xsi:type", g.granteeType());
            String element = switch (g.granteeType()) {
                case AccessControlPolicy.GROUP -> "URI";
                case AccessControlPolicy.BY_EMAIL -> "EmailAddress";
                default -> "ID";
            };
            w.element(element, g.grantee()).end().element("Permission", g.permission()).end();
        }
        w.end();
    }

    private static void error(XmlWriter w, ErrorDocument e) {
        w.root("Error", false).element("Code", e.code()).element("Message", e.message());
        for (Map.Entry<String, String> detail : e.details().entrySet()) {
            w.element(detail.getKey(), detail.getValue());
        }
        w.optional("Resource", e.resource()).optional("RequestId", e.requestId()).optional("HostId", e.hostId())
                .end();
    }
}
