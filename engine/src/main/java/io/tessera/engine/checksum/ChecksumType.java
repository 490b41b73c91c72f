package io.tessera.engine.checksum;

public enum ChecksumType { COMPOSITE, FULL_OBJECT;
    public static ChecksumType fromName(String n) { return valueOf(n.toUpperCase(java.util.Locale.ROOT)); } }
