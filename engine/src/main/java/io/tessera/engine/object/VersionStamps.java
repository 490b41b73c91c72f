package io.tessera.engine.object;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Version stamps and ids, handed out in log order. A stamp is the command's time in milliseconds times
 * 4096, or one more than the last stamp handed out when that is larger, so a key's stamps increase in
 * the order its commands apply, whatever the clocks of the nodes that decided them said; the id is the
 * stamp in hex followed by 16 random letters and digits that the command brought with it, so ids never
 * repeat and give their stamp back. Stamps are minted only while a command is applied, and the last
 * one is stored in the same batch, so every replica mints the same.
 *
 * <p>Not thread-safe: owned by the thread that applies commands.
 */
public final class VersionStamps {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private long last;

    public VersionStamps(long last) {
        this.last = last;
    }

    /** A stamp and the id of the version that will carry it. */
    public record Minted(long stamp, String id) {
    }

    /** The random part of a version id, decided before its command is logged. */
    public static String newSuffix() {
        StringBuilder s = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    /** The last stamp handed out. */
    public long last() {
        return last;
    }

    /** Forgets stamps handed out to a command that failed, so its replay mints the same again. */
    public void rewind(long to) {
        last = to;
    }

    /** The version a command may create, minted on first use (a write to a never-versioned bucket needs none). */
    public Next next(long nowMillis, String suffix) {
        return new Next(nowMillis, suffix);
    }

    /** A version not minted yet. Not thread-safe. */
    public final class Next {
        private final long nowMillis;
        private final String suffix;
        private Minted minted;

        private Next(long nowMillis, String suffix) {
            this.nowMillis = nowMillis;
            this.suffix = suffix;
        }

        public Minted get() {
            if (minted == null) {
                long stamp = Math.max(last + 1, nowMillis << 12);
                last = stamp;
                minted = new Minted(stamp, HexFormat.of().toHexDigits(stamp) + suffix);
            }
            return minted;
        }
    }
}
