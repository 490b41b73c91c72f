package io.tessera.server.it;

/** The JDK's TLS, the fallback where OpenSSL does not load. */
class JdkTlsTest extends TlsContract {
    @Override
    String keyAlgorithm() {
        return "EC";
    }

    @Override
    boolean jdkProvider() {
        return true;
    }
}
