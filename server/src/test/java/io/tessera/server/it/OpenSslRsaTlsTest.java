package io.tessera.server.it;

/** OpenSSL (BoringSSL) with an RSA 2048 key, as {@code openssl req -x509 -newkey rsa:2048 -nodes} makes it. */
class OpenSslRsaTlsTest extends TlsContract {
    @Override
    String keyAlgorithm() {
        return "RSA";
    }

    @Override
    boolean jdkProvider() {
        return false;
    }
}
