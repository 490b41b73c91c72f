package io.tessera.engine.meta;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** Builds a stored value: big-endian integers, length-prefixed strings and byte arrays. */
public final class ValueWriter {
    private byte[] buf = new byte[64];
    private int len;

    public ValueWriter(int version) {
        putByte(version);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    public ValueWriter putByte(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public ValueWriter putBoolean(boolean v) {
        return putByte(v ? 1 : 0);
    }

    public ValueWriter putInt(int v) {
        ensure(4);
        Keys.putInt(buf, len, v);
        len += 4;
        return this;
    }

    public ValueWriter putLong(long v) {
        ensure(8);
        Keys.putLong(buf, len, v);
        len += 8;
        return this;
    }

    /** A nullable byte array: length -1 stands for null. */
    public ValueWriter putBytes(byte[] v) {
        if (v == null) {
            return putInt(-1);
        }
        putInt(v.length);
        ensure(v.length);
        System.arraycopy(v, 0, buf, len, v.length);
        len += v.length;
        return this;
    }

    public ValueWriter putString(String s) {
        return putBytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    public ValueWriter putStringMap(Map<String, String> map) {
        putInt(map.size());
        map.forEach((k, v) -> {
            putString(k);
            putString(v);
        });
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
