package io.tessera.server.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a node's TLS identity lies: PEM files as {@code openssl req -x509 -newkey rsa:2048 -nodes} (or
 * {@code -newkey ec}) writes them. Immutable.
 *
 * @param certificateChain the server certificate first, then any intermediates ({@code BEGIN CERTIFICATE})
 * @param privateKey       the certificate's private key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
 */
public record TlsConfig(Path certificateChain, Path privateKey) {
    public TlsConfig {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
