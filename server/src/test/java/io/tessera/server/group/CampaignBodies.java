package io.tessera.server.group;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The bodies a campaign writes: the value's name (client id and sequence number, unique in a run) and a
 * newline, then bytes drawn from a generator seeded by the name. A body read back names the value it
 * carries and can be checked byte for byte without keeping what was sent (some bodies are several MiB).
 *
 * <p>Stateless; thread-safe.
 */
final class CampaignBodies {
    /** The longest value name a body starts with. */
    private static final int MAX_NAME = 64;

    private CampaignBodies() {
    }

    /** The body of {@code length} bytes (at least the name and its newline) that carries {@code value}. */
    static byte[] body(String value, int length) {
        byte[] name = (value + "\n").getBytes(StandardCharsets.US_ASCII);
        if (name.length > MAX_NAME || length < name.length) {
            throw new IllegalArgumentException("value " + value + " in " + length + " bytes");
        }
        byte[] out = new byte[length];
        System.arraycopy(name, 0, out, 0, name.length);
        SplittableRandom random = new SplittableRandom(value.hashCode() * 31L + length);
        for (int i = name.length; i < length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }

    /** The value {@code body} names, or null when it names none. */
    static String valueOf(byte[] body) {
        for (int i = 0; i < Math.min(body.length, MAX_NAME); i++) {
            if (body[i] == '\n') {
                return new String(body, 0, i, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    /** Whether {@code body} is exactly the body of the value it names. */
    static boolean intact(byte[] body) {
        String value = valueOf(body);
        return value != null && Arrays.equals(body, body(value, body.length));
    }

    /** The shortest body that carries {@code value}. */
    static int minimum(String value) {
        return value.length() + 1;
    }
}
