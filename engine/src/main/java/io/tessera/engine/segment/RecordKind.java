package io.tessera.engine.segment;

/** What a record's body belongs to. */
public enum RecordKind {
    PART(1), OBJECT(2);

    private final int code;

    RecordKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static RecordKind fromCode(int code) {
        for (RecordKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown record kind " + code);
    }
}
