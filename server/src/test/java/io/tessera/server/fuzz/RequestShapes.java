package io.tessera.server.fuzz;

import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of awkward but valid request parts for SigV4 properties: object keys with reserved
 * characters, spaces, {@code +}, {@code %}, {@code ~}, runs of {@code /} and non-ASCII text; query
 * strings with repeated parameters, empty values and reserved characters; user metadata headers sent
 * several times, empty, or with whitespace around and inside their values. Stateless.
 */
public final class RequestShapes {
    private static final String RESERVED = "!*'();:@&=+$,/?#[]";

    private RequestShapes() {
    }

    /**
     * A request's variable parts.
     *
     * @param key     the object key (raw; the signer's client encodes it)
     * @param query   query parameters in order, raw; a null value is a bare name
     * @param headers header name to its values (one line each)
     */
    public record Shape(String key, List<Map.Entry<String, String>> query, Map<String, List<String>> headers) {
    }

    /** Object keys: 1 to 60 characters, up to 1024 UTF-8 bytes, never empty. */
    public static Arbitrary<String> keys() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().withChars(RESERVED).withChars(" %~-_.").ofMinLength(1).ofMaxLength(4),
                Arbitraries.of("/", "//", "///", "+", "%", "%2F", "%41", "~", " ", "  ", ".", "..", "é", "ü", "日本",
                        "€", "\uD83D\uDE00", "a+b", "c d", "%%", "%zz"));
        return piece.list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l));
    }

    /** Query parameters: names from a small set (so they repeat) or random, values empty, absent or awkward. */
    public static Arbitrary<List<Map.Entry<String, String>>> queries() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.of("a", "a b", "k+y", "x%", "ü", "~t", "p/q", "e=f", "r&s"),
                Arbitraries.strings().alpha().numeric().withChars(RESERVED).withChars(" %~").ofMinLength(1)
                        .ofMaxLength(6).map(s -> "q" + s));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("", "1", "a b", "+", "%", "%20", "a=b", "a&b", "/", "~", "é", "日本"),
                Arbitraries.strings().alpha().numeric().withChars(RESERVED).withChars(" %~").ofMaxLength(10));
        return Combinators.combine(name, value.injectNull(0.15))
                .as((n, v) -> (Map.Entry<String, String>) new SimpleEntry<>(n, v))
                .list().ofMaxSize(5);
    }

    /**
     * User metadata headers, one to three values each; values may be empty or all whitespace, carry
     * whitespace runs (spaces and tabs) around or inside, and (when {@code nonAscii}) non-ASCII text.
     */
    public static Arbitrary<Map<String, List<String>>> metadata(boolean nonAscii) {
        Arbitrary<String> text = nonAscii
                ? Arbitraries.strings().withCharRange('!', '~').withChars('é', 'ü', '日', '€', 'ß').ofMaxLength(12)
                : Arbitraries.strings().withCharRange('!', '~').ofMaxLength(12);
        Arbitrary<String> ws = Arbitraries.of("", " ", "  ", "\t", " \t ");
        Arbitrary<String> value = Combinators.combine(ws, text, ws, text, ws).as((a, b, c, d, e) -> a + b + c + d + e);
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '0')
                .ofMinLength(1).ofMaxLength(6).map(s -> "x-amz-meta-" + s);
        return Arbitraries.maps(name, value.list().ofMinSize(1).ofMaxSize(3)).ofMaxSize(3)
                .map(m -> new LinkedHashMap<>(m));
    }

    /** A whole shape. */
    public static Arbitrary<Shape> shapes(boolean nonAsciiHeaders) {
        return Combinators.combine(keys(), queries(), metadata(nonAsciiHeaders))
                .as((k, q, h) -> new Shape(k, new ArrayList<>(q), h));
    }
}
