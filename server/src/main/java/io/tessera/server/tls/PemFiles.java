package io.tessera.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificate chains and PKCS#8 private keys with the JDK alone, and says precisely what is
 * wrong with a file that cannot be used (missing, unreadable, no PEM block, a key in a legacy format and
 * the command that converts it). Every failure is an {@link IllegalArgumentException} whose message
 * names the file. Stateless.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** Key algorithms tried in turn on a PKCS#8 key (the JDK has no "any algorithm" key factory). */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA");

    private PemFiles() {
    }

    /** The certificates of {@code file}, in file order (the server's own first). */
    static List<X509Certificate> certificates(Path file) {
        String what = "TLS certificate chain " + file;
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(read(file, what))) {
                if (b.type().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der(what))));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + ": not a valid X.509 certificate (" + e.getMessage() + ")", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(what + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        }
        return chain;
    }

    /** The one private key of {@code file}. */
    static PrivateKey privateKey(Path file) {
        String what = "TLS private key " + file;
        List<Block> blocks = blocks(read(file, what));
        for (Block b : blocks) {
            switch (b.type()) {
                case "PRIVATE KEY":
                    return pkcs8(b.der(what), what);
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException(what + ": the key is encrypted; give it unencrypted: "
                            + "openssl pkcs8 -in " + file + " -out key.pem");
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                case "DSA PRIVATE KEY":
                    throw new IllegalArgumentException(what + ": a legacy " + b.type() + " (PKCS#1/SEC1); Tessera reads"
                            + " PKCS#8 (BEGIN PRIVATE KEY): openssl pkcs8 -topk8 -nocrypt -in " + file
                            + " -out key.pem");
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(what + ": no PEM private key (-----BEGIN PRIVATE KEY-----) in it"
                + (blocks.isEmpty() ? "" : ", only " + blocks.get(0).type()));
    }

    private static PrivateKey pkcs8(byte[] der, String what) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(what + ": not an RSA, EC or EdDSA PKCS#8 key the JDK can read");
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(what + ": permission denied", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot read it (" + e + ")", e);
        }
    }

    private static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            out.add(new Block(m.group(1), m.group(2)));
        }
        return out;
    }

    /** One {@code -----BEGIN type-----} ... {@code -----END type-----} block. */
    private record Block(String type, String body) {
        byte[] der(String what) {
            try {
                return Base64.getMimeDecoder().decode(body.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": the " + type + " block is not valid base64", e);
            }
        }
    }
}
