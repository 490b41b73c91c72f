package io.tessera.engine.object;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Issues version stamps and ids: a stamp is the clock in milliseconds times 4096, strictly increasing
 * on this node, and orders a key's versions; the id is the stamp in hex and 16 random letters and
 * digits, so that ids never repeat and give their stamp back. Only {@link KeyWriteOrder} mints them,
 * under the key's lock, so that a key's stamps increase in the order its writes commit.
 *
 * <p>Thread-safe.
 */
public final class VersionStamps {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private final AtomicLong last = new AtomicLong();
    private final LongSupplier clockMillis;
    private final SecureRandom random = new SecureRandom();

    public VersionStamps(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** A stamp and the id of the version that will carry it. */
    public record Minted(long stamp, String id) {
    }

    Minted next() {
        long now = clockMillis.getAsLong() << 12;
        long stamp = last.updateAndGet(prev -> Math.max(prev + 1, now));
        StringBuilder id = new StringBuilder(32).append(HexFormat.of().toHexDigits(stamp));
        for (int i = 0; i < 16; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return new Minted(stamp, id.toString());
    }
}
