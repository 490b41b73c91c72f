package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** S3 orders keys by their UTF-8 bytes, which is not Java's UTF-16 {@code String.compareTo} order. */
public final class Utf8 {
    private Utf8() {
    }

    public static int compare(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
