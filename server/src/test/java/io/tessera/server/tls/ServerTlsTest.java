package io.tessera.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a node's certificate and key, and the messages for every file that cannot be used. */
class ServerTlsTest {
    @TempDir
    Path dir;

    @Test
    void rsaAndEcKeysInPkcs8Load() {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            TestCertificates.Issued issued = TestCertificates.selfSigned(dir, algorithm, algorithm);
            ServerTls tls = ServerTls.load(issued.config());
            assertThat(tls.certificate()).isEqualTo(issued.certificate());
            assertThat(tls.selfSigned()).isTrue();
            assertThat(tls.describe()).contains("CN=localhost", issued.certificateFile().toString());
        }
    }

    @Test
    void openSslIsUsedWhereItsNativesShipElseTheJdk() {
        ServerTls tls = ServerTls.load(TestCertificates.selfSigned(dir, "p", "EC").config());
        assertThat(tls.provider()).startsWith(TestCertificates.openSslExpected() ? "OpenSSL" : "JDK");
    }

    @Test
    void theJdkProviderOnRequest() {
        TestCertificates.Issued issued = TestCertificates.selfSigned(dir, "jdk", "EC");
        String old = System.setProperty("tessera.tls.jdk", "true");
        try {
            assertThat(ServerTls.load(issued.config()).provider()).isEqualTo("JDK");
        } finally {
            restore("tessera.tls.jdk", old);
        }
    }

    @Test
    void oneFileMayHoldBothCertificateAndKey() throws Exception {
        TestCertificates.Issued issued = TestCertificates.selfSigned(dir, "both", "EC");
        Path both = dir.resolve("both.pem");
        Files.writeString(both, Files.readString(issued.keyFile()) + Files.readString(issued.certificateFile()));
        assertThat(ServerTls.load(new TlsConfig(both, both)).certificate()).isEqualTo(issued.certificate());
    }

    @Test
    void missingFilesAreNamed() {
        TestCertificates.Issued issued = TestCertificates.selfSigned(dir, "m", "EC");
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> ServerTls.load(new TlsConfig(missing, issued.keyFile())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS certificate chain " + missing + ": no such file");
        assertThatThrownBy(() -> ServerTls.load(new TlsConfig(issued.certificateFile(), missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS private key " + missing + ": no such file");
    }

    @Test
    void filesSwappedOrEmptySaySoWithoutPem() throws Exception {
        TestCertificates.Issued issued = TestCertificates.selfSigned(dir, "s", "EC");
        assertThatThrownBy(() -> ServerTls.load(new TlsConfig(issued.keyFile(), issued.certificateFile())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM certificate (-----BEGIN CERTIFICATE-----)");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> ServerTls.load(new TlsConfig(issued.certificateFile(), empty)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS private key " + empty + ": no PEM private key (-----BEGIN PRIVATE KEY-----) in it");
        Path garbage = Files.writeString(dir.resolve("garbage.crt"),
                TestCertificates.pem("CERTIFICATE", "not a certificate".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> ServerTls.load(new TlsConfig(garbage, issued.keyFile())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TLS certificate chain " + garbage + ": not a valid X.509 certificate");
    }

    @Test
    void legacyKeyFormatsGetTheCommandThatConvertsThem() throws Exception {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            TestCertificates.Issued issued = TestCertificates.selfSigned(dir, "legacy" + algorithm, algorithm);
            String legacy = TestCertificates.legacyPem(issued.keys().getPrivate());
            assertThat(legacy).contains("BEGIN " + algorithm + " PRIVATE KEY");
            Path key = Files.writeString(dir.resolve("legacy" + algorithm + ".pem"), legacy);
            assertThatThrownBy(() -> ServerTls.load(new TlsConfig(issued.certificateFile(), key)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("legacy " + algorithm + " PRIVATE KEY")
                    .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key.pem");
        }
    }

    @Test
    void encryptedKeysAreRefusedWithTheWayOut() throws Exception {
        TestCertificates.Issued issued = TestCertificates.selfSigned(dir, "enc", "EC");
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaPKCS8Generator(issued.keys().getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                            .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build()));
        }
        Path key = Files.writeString(dir.resolve("enc.pem"), out.toString());
        assertThatThrownBy(() -> ServerTls.load(new TlsConfig(issued.certificateFile(), key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS private key " + key + ": the key is encrypted; give it unencrypted: openssl pkcs8 -in "
                        + key + " -out key.pem");
    }

    @Test
    void aKeyOfAnotherPairIsRefused() throws Exception {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            TestCertificates.Issued issued = TestCertificates.selfSigned(dir, "pair" + algorithm, algorithm);
            KeyPair other = TestCertificates.keyPair(algorithm);
            Path key = Files.writeString(dir.resolve("other" + algorithm + ".key"),
                    TestCertificates.pem("PRIVATE KEY", other.getPrivate().getEncoded()));
            assertThatThrownBy(() -> ServerTls.load(new TlsConfig(issued.certificateFile(), key)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("TLS private key " + key + " does not belong to the first certificate of "
                            + issued.certificateFile() + " ("
                            + issued.certificate().getSubjectX500Principal().getName() + ")");
        }
    }

    private static void restore(String property, String old) {
        if (old == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, old);
        }
    }
}
