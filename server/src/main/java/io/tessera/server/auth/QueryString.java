package io.tessera.server.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A raw query string split into parameters, with SigV4 canonicalisation. Immutable. */
final class QueryString {

    /** One parameter as sent (still encoded); {@code rawValue} is empty for a bare {@code name}. */
    record Param(String rawName, String rawValue) {
        String name() {
            return UriEncoding.decodeQueryComponent(rawName);
        }

        String value() {
            return UriEncoding.decodeQueryComponent(rawValue);
        }
    }

    private final List<Param> params;

    private QueryString(List<Param> params) {
        this.params = params;
    }

    /** Splits {@code rawQuery} (without the leading {@code ?}; may be null or empty) on {@code &}. */
    static QueryString parse(String rawQuery) {
        List<Param> list = new ArrayList<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            int start = 0;
            int n = rawQuery.length();
            while (start <= n) {
                int amp = rawQuery.indexOf('&', start);
                int end = amp < 0 ? n : amp;
                if (end > start) {
                    String pair = rawQuery.substring(start, end);
                    int eq = pair.indexOf('=');
                    list.add(eq < 0 ? new Param(pair, "") : new Param(pair.substring(0, eq), pair.substring(eq + 1)));
                }
                start = end + 1;
            }
        }
        return new QueryString(List.copyOf(list));
    }

    /** The decoded values of every parameter whose decoded name equals {@code name} (case-sensitive). */
    List<String> values(String name) {
        List<String> out = new ArrayList<>(1);
        for (Param p : params) {
            if (p.name().equals(name)) {
                out.add(p.value());
            }
        }
        return out;
    }

    /** Whether any parameter has the decoded name {@code name}. */
    boolean has(String name) {
        for (Param p : params) {
            if (p.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The canonical query string: names and values re-encoded, sorted by name then value, joined with
     * {@code &}; a bare name becomes {@code name=}. Parameters named {@code excluded} (decoded) are left
     * out (null excludes nothing).
     */
    String canonical(String excluded) {
        List<String[]> enc = new ArrayList<>(params.size());
        for (Param p : params) {
            if (excluded != null && p.name().equals(excluded)) {
                continue;
            }
            enc.add(new String[] {UriEncoding.canonicalQueryComponent(p.rawName()),
                UriEncoding.canonicalQueryComponent(p.rawValue())});
        }
        enc.sort(Comparator.<String[], String>comparing(a -> a[0]).thenComparing(a -> a[1]));
        StringBuilder sb = new StringBuilder();
        for (String[] kv : enc) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(kv[0]).append('=').append(kv[1]);
        }
        return sb.toString();
    }
}
