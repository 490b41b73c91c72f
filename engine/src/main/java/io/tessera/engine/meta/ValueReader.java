package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Reads what {@link ValueWriter} wrote, checking the leading version byte. */
public final class ValueReader {
    private final byte[] buf;
    private int pos;

    public ValueReader(byte[] buf, int expectedVersion) {
        this.buf = buf;
        int v = getByte();
        if (v != expectedVersion) {
            throw new IllegalStateException("unsupported value version " + v + ", expected " + expectedVersion);
        }
    }

    public int getByte() {
        return buf[pos++] & 0xff;
    }

    public boolean getBoolean() {
        return getByte() != 0;
    }

    public int getInt() {
        int v = Keys.getInt(buf, pos);
        pos += 4;
        return v;
    }

    public long getLong() {
        long v = Keys.getLong(buf, pos);
        pos += 8;
        return v;
    }

    public byte[] getBytes() {
        int n = getInt();
        if (n < 0) {
            return null;
        }
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public String getString() {
        byte[] b = getBytes();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    public Map<String, String> getStringMap() {
        int n = getInt();
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            m.put(getString(), getString());
        }
        return m;
    }

    public boolean hasMore() {
        return pos < buf.length;
    }
}
