package io.tessera.engine;

/**
 * Which bytes of an object a read wants: all, an inclusive byte range (open-ended when {@code last}
 * is negative), the last {@code n} bytes, or one part of a multipart object.
 */
public sealed interface ReadRange {
    ReadRange ALL = new All();

    static ReadRange bytes(long first, long last) {
        return new Bytes(first, last);
    }

    static ReadRange suffix(long length) {
        return new Suffix(length);
    }

    static ReadRange part(int partNumber) {
        return new Part(partNumber);
    }

    record All() implements ReadRange {
    }

    record Bytes(long first, long last) implements ReadRange {
    }

    record Suffix(long length) implements ReadRange {
    }

    record Part(int partNumber) implements ReadRange {
    }
}
