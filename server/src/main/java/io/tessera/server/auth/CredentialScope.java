package io.tessera.server.auth;

/**
 * The parsed {@code Credential} component: {@code <key id>/<yyyymmdd>/<region>/<service>/aws4_request}.
 */
record CredentialScope(String accessKeyId, String date, String region, String service, String terminator) {

    /** Parses a credential string, or returns null when it does not have five non-empty parts. */
    static CredentialScope parse(String s) {
        if (s == null) {
            return null;
        }
        String[] p = s.split("/", -1);
        if (p.length != 5) {
            return null;
        }
        for (String part : p) {
            if (part.isEmpty()) {
                return null;
            }
        }
        return new CredentialScope(p[0], p[1], p[2], p[3], p[4]);
    }

    /** The scope as it appears in the string to sign: {@code yyyymmdd/region/service/aws4_request}. */
    String scope() {
        return date + "/" + region + "/" + service + "/" + terminator;
    }

    /** Whether the date part is eight digits. */
    boolean hasValidDate() {
        if (date.length() != 8) {
            return false;
        }
        for (int i = 0; i < 8; i++) {
            if (date.charAt(i) < '0' || date.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
