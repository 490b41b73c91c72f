package io.tessera.server.it;

/** OpenSSL (BoringSSL) with a P-256 key, as {@code openssl req -x509 -newkey ec} makes it. */
class OpenSslEcTlsTest extends TlsContract {
    @Override
    String keyAlgorithm() {
        return "EC";
    }

    @Override
    boolean jdkProvider() {
        return false;
    }
}
