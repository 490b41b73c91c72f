package io.tessera.server.tls;

import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's TLS: the certificate chain and key of a {@link TlsConfig}, checked once at start-up, and the
 * Netty {@link SslContext} every connection's handshake uses. The provider is OpenSSL (BoringSSL from
 * netty-tcnative) where its native library loads, else the JDK's TLS; the system property
 * {@code tessera.tls.jdk=true} asks for the JDK's. Immutable and thread-safe.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    private static final byte[] CHALLENGE = "tessera key pair check".getBytes(StandardCharsets.US_ASCII);

    private final TlsConfig config;
    private final SslContext context;
    private final SslProvider provider;
    private final X509Certificate certificate;

    private ServerTls(TlsConfig config, SslContext context, SslProvider provider, X509Certificate certificate) {
        this.config = config;
        this.context = context;
        this.provider = provider;
        this.certificate = certificate;
    }

    /**
     * Reads and checks the files (the key must belong to the first certificate) and builds the context.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static ServerTls load(TlsConfig config) {
        List<X509Certificate> chain = PemFiles.certificates(config.certificateChain());
        PrivateKey key = PemFiles.privateKey(config.privateKey());
        X509Certificate leaf = chain.get(0);
        if (!belongTogether(key, leaf.getPublicKey())) {
            throw new IllegalArgumentException("TLS private key " + config.privateKey()
                    + " does not belong to the first certificate of " + config.certificateChain() + " ("
                    + leaf.getSubjectX500Principal().getName() + ")");
        }
        Instant now = Instant.now();
        if (leaf.getNotAfter().toInstant().isBefore(now) || leaf.getNotBefore().toInstant().isAfter(now)) {
            LOG.warn("the TLS certificate {} is valid only from {} to {}: clients will refuse it",
                    config.certificateChain(), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        }
        SslProvider provider = chooseProvider();
        try {
            SslContext context = SslContextBuilder.forServer(key, chain).sslProvider(provider).build();
            return new ServerTls(config, context, provider, leaf);
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("TLS: " + provider + " refused the certificate "
                    + config.certificateChain() + " with the key " + config.privateKey() + " (" + e.getMessage() + ")",
                    e);
        }
    }

    private static SslProvider chooseProvider() {
        if (Boolean.getBoolean("tessera.tls.jdk")) {
            return SslProvider.JDK;
        }
        if (OpenSsl.isAvailable()) {
            return SslProvider.OPENSSL;
        }
        LOG.info("OpenSSL is not available here, TLS uses the JDK: {}", String.valueOf(OpenSsl.unavailabilityCause()));
        return SslProvider.JDK;
    }

    /** Whether the public key can verify what the private key signs. */
    private static boolean belongTogether(PrivateKey key, PublicKey pub) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(CHALLENGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * A new connection's first handler: it becomes the connection's {@code SslHandler} (named
     * {@code name}) when the client opens with a TLS handshake, and answers plain HTTP with a 400.
     */
    public ChannelHandler newConnectionHandler(String name) {
        return new HttpsOnlyHandler(context, name);
    }

    /** "OpenSSL" (with its version, BoringSSL from netty-tcnative) or "JDK". */
    public String provider() {
        return provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    public TlsConfig config() {
        return config;
    }

    /** The server's own certificate (the first of the chain). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Whether the certificate signs itself (clients must be told to trust that very file). */
    public boolean selfSigned() {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    /** One line for the start-up log: provider, subject, end of validity. */
    public String describe() {
        Date notAfter = certificate.getNotAfter();
        return provider() + ", certificate " + certificate.getSubjectX500Principal().getName() + " ("
                + config.certificateChain() + "), valid until " + notAfter.toInstant();
    }
}
