package io.tessera.engine.checksum;

public enum ChecksumAlgorithm { CRC32(4), CRC32C(4), CRC64NVME(8), SHA1(20), SHA256(32);
    private final int len;
    ChecksumAlgorithm(int len) { this.len = len; }
    public int digestLength() { return len; }
    public boolean isCrc() { return this != SHA1 && this != SHA256; }
    public boolean supports(ChecksumType t) { return this == CRC64NVME ? t == ChecksumType.FULL_OBJECT : isCrc() || t == ChecksumType.COMPOSITE; }
    public ChecksumType defaultType() { return this == CRC64NVME ? ChecksumType.FULL_OBJECT : ChecksumType.COMPOSITE; }
    public static ChecksumAlgorithm fromName(String n) { return valueOf(n.toUpperCase(java.util.Locale.ROOT)); }
    public Hasher newHasher() {
        if (this == CRC32 || this == CRC32C) {
            java.util.zip.Checksum c = this == CRC32 ? new java.util.zip.CRC32() : new java.util.zip.CRC32C();
            return new Hasher() {
                public void update(java.nio.ByteBuffer s) { c.update(s); }
                public void update(byte[] b, int o, int l) { c.update(b, o, l); }
                public byte[] digest() { return java.nio.ByteBuffer.allocate(4).putInt((int) c.getValue()).array(); }
            };
        }
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance(this == SHA1 ? "SHA-1" : "SHA-256");
            return new Hasher() {
                public void update(java.nio.ByteBuffer s) { md.update(s); }
                public void update(byte[] b, int o, int l) { md.update(b, o, l); }
                public byte[] digest() { return md.digest(); }
            };
        } catch (Exception e) { throw new IllegalStateException(e); }
    }
}
