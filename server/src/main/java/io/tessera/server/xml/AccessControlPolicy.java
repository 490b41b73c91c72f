package io.tessera.server.xml;

import java.util.List;
import java.util.Objects;

/**
 * Get/Put Bucket/Object ACL document: {@code <AccessControlPolicy><Owner><ID/></Owner><AccessControlList>
 * <Grant><Grantee xsi:type="..."><ID/>|<URI/>|<EmailAddress/></Grantee><Permission/></Grant>...
 * </AccessControlList></AccessControlPolicy>}. When parsing, a grantee's type is read from which of
 * {@code ID}, {@code URI} and {@code EmailAddress} it names.
 *
 * @param owner the owner's canonical id, or null when a request leaves it out
 * @param grants the grants in document order
 */
public record AccessControlPolicy(String owner, List<Grant> grants) implements S3XmlDocument {
    /** {@code xsi:type} of a grantee named by canonical id. */
    public static final String CANONICAL_USER = "CanonicalUser";
    /** {@code xsi:type} of a grantee named by group URI. */
    public static final String GROUP = "Group";
    /** {@code xsi:type} of a grantee named by e-mail address. */
    public static final String BY_EMAIL = "AmazonCustomerByEmail";

    public AccessControlPolicy {
        grants = List.copyOf(grants);
    }

    /**
     * One grant.
     *
     * @param granteeType {@link #CANONICAL_USER}, {@link #GROUP} or {@link #BY_EMAIL}
     * @param grantee the canonical id, group URI or e-mail address
     * @param permission FULL_CONTROL, WRITE, WRITE_ACP, READ or READ_ACP
     */
    public record Grant(String granteeType, String grantee, String permission) {
        public Grant {
            Objects.requireNonNull(granteeType, "granteeType");
            Objects.requireNonNull(grantee, "grantee");
            Objects.requireNonNull(permission, "permission");
        }
    }

    @Override
    public String rootElement() {
        return "AccessControlPolicy";
    }
}
