package io.tessera.engine.checksum;

public interface Hasher { void update(java.nio.ByteBuffer src); void update(byte[] b, int off, int len); byte[] digest(); }
