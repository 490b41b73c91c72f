package io.tessera.server.route;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The S3 general-purpose bucket naming rules. A valid name:
 * <ul>
 *   <li>is 3 to 63 characters long and uses only lowercase letters, digits, dots and hyphens;</li>
 *   <li>starts and ends with a letter or digit, and every dot-separated label does too
 *       (so no {@code ..}, {@code .-} or {@code -.}: each label must be a valid DNS label, which
 *       virtual-hosted addressing needs);</li>
 *   <li>is not an IPv4 address such as {@code 192.168.5.4};</li>
 *   <li>does not use a prefix or suffix AWS reserves ({@code xn--}, {@code sthree-}, {@code amzn-s3-demo-},
 *       {@code -s3alias}, {@code --ol-s3}, {@code .mrap}, {@code --x-s3}, {@code --table-s3}). SDKs treat some of
 *       these specially; for example a {@code --x-s3} suffix makes them switch to S3 Express session auth.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class BucketNames {
    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 63;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_SUFFIXES =
            List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    private BucketNames() {
    }

    /** True when {@code name} satisfies every rule in the class comment. */
    public static boolean isValid(String name) {
        if (name == null || name.length() < MIN_LENGTH || name.length() > MAX_LENGTH) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        if (IPV4.matcher(name).matches()) {
            return false;
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return false;
            }
        }
        for (String suffix : RESERVED_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns {@code name} when it is valid.
     *
     * @throws S3Exception {@code InvalidBucketName} (with a {@code BucketName} detail) otherwise
     */
    public static String validate(String name) {
        if (!isValid(name)) {
            S3Exception e = new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME);
            if (name != null) {
                e.with("BucketName", name);
            }
            throw e;
        }
        return name;
    }
}
