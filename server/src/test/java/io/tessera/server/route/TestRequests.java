package io.tessera.server.route;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Drives {@link AddressingResolver} and {@link Router} from a raw request line, as the Netty layer will. */
final class TestRequests {
    static final AddressingResolver RESOLVER =
            new AddressingResolver(List.of("localhost", "s3.localhost:9000", "127.0.0.1"));
    static final Router ROUTER = new Router();

    private TestRequests() {
    }

    /** Routes {@code method uri} sent to {@code host} with the given header names. */
    static Route route(String method, String host, String uri, Set<String> headers) {
        RequestTarget target = RESOLVER.resolve(host, uri);
        Set<String> lower = new HashSet<>();
        headers.forEach(h -> lower.add(h.toLowerCase(Locale.ROOT)));
        return ROUTER.route(method, target.bucket(), target.key(), query(uri),
                h -> lower.contains(h.toLowerCase(Locale.ROOT)));
    }

    /** Query parameters as Netty's QueryStringDecoder gives them ({@code ?uploads} maps to {@code [""]}). */
    static Map<String, List<String>> query(String uri) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        int i = uri.indexOf('?');
        if (i < 0) {
            return q;
        }
        for (String pair : uri.substring(i + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            q.computeIfAbsent(ObjectKeys.percentDecode(name), k -> new ArrayList<>())
                    .add(ObjectKeys.percentDecode(value));
        }
        return q;
    }
}
