package io.tessera.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates made at test time with BouncyCastle and written the way
 * {@code openssl req -x509 -newkey rsa:2048 -nodes} (or {@code -newkey ec}) writes them: a PEM
 * certificate and an unencrypted PKCS#8 PEM key. Valid for {@code localhost}, {@code *.localhost},
 * the names given and 127.0.0.1. Also the client side: a trust manager that trusts exactly one
 * certificate.
 */
public final class TestCertificates {
    /** The files of one certificate and the certificate itself. */
    public record Issued(Path certificateFile, Path keyFile, X509Certificate certificate, KeyPair keys) {
        public TlsConfig config() {
            return new TlsConfig(certificateFile, keyFile);
        }
    }

    private TestCertificates() {
    }

    /** A fresh key pair ("RSA": 2048 bits, "EC": P-256) and a certificate, in {@code dir/name.crt|key}. */
    public static Issued selfSigned(Path dir, String name, String keyAlgorithm, String... dnsNames) {
        try {
            KeyPair keys = keyPair(keyAlgorithm);
            X509Certificate cert = certificate(keys, keyAlgorithm, dnsNames);
            Path certFile = dir.resolve(name + ".crt");
            Path keyFile = dir.resolve(name + ".key");
            Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            return new Issued(certFile, keyFile, cert, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair keyPair(String keyAlgorithm) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(keyAlgorithm);
        if (keyAlgorithm.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(KeyPair keys, String keyAlgorithm, String... dnsNames)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name subject = new X500Name("CN=localhost,O=Tessera test");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                keys.getPublic());
        GeneralName[] names = new GeneralName[3 + dnsNames.length];
        names[0] = new GeneralName(GeneralName.dNSName, "localhost");
        names[1] = new GeneralName(GeneralName.dNSName, "*.localhost");
        names[2] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
        for (int i = 0; i < dnsNames.length; i++) {
            names[3 + i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        String signature = keyAlgorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
    }

    /** PEM text of one DER block, 64 characters a line. */
    public static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** The key in OpenSSL's legacy form ({@code BEGIN RSA PRIVATE KEY} / {@code BEGIN EC PRIVATE KEY}). */
    public static String legacyPem(PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(key);
        }
        return out.toString();
    }

    /** Whether OpenSSL should load here: netty-tcnative's natives ship for Linux and macOS, x86_64 and aarch64. */
    public static boolean openSslExpected() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        return (os.startsWith("linux") || os.startsWith("mac"))
                && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }

    /** A trust manager that trusts {@code cert} and nothing else. */
    public static X509TrustManager trusting(X509Certificate cert) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("tessera", cert);
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client TLS context that trusts {@code cert} and nothing else. */
    public static SSLContext clientContext(X509Certificate cert) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {trusting(cert)}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
