package io.tessera.server.cli;

import io.tessera.server.auth.Credential;
import io.tessera.server.keys.KeyMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * Where the node's access key comes from, first match wins: the command-line flags, the environment
 * ({@code TESSERA_ACCESS_KEY}, {@code TESSERA_SECRET_KEY}), the config file, and finally the data
 * directory's {@code credentials.properties}, which is created with a fresh random key pair (mode
 * 0600) on a node's first start.
 *
 * <p>The owner's canonical id defaults to the SHA-256 hex of {@code "tessera:" + accessKey}; its
 * display name to {@code tessera}.
 */
final class CredentialSource {
    static final String FILE = "credentials.properties";
    static final String DEFAULT_DISPLAY_NAME = "tessera";

    /** A resolved credential and whether it was generated just now. */
    record Resolved(Credential credential, String origin, boolean generated) {
    }

    private CredentialSource() {
    }

    static Resolved resolve(String flagKey, String flagSecret, Properties file, String ownerId, String ownerName,
                            Path dataDir) {
        if (flagKey != null || flagSecret != null) {
            return new Resolved(build(require(flagKey, "--access-key"), require(flagSecret, "--secret-key"), ownerId,
                    ownerName), "command line", false);
        }
        String envKey = System.getenv("TESSERA_ACCESS_KEY");
        String envSecret = System.getenv("TESSERA_SECRET_KEY");
        if (envKey != null || envSecret != null) {
            return new Resolved(build(require(envKey, "TESSERA_ACCESS_KEY"), require(envSecret, "TESSERA_SECRET_KEY"),
                    ownerId, ownerName), "environment", false);
        }
        if (file != null && file.getProperty("access-key") != null) {
            return new Resolved(build(file.getProperty("access-key"),
                    require(file.getProperty("secret-key"), "secret-key in the config file"),
                    first(ownerId, file.getProperty("owner-id")), first(ownerName, file.getProperty("owner-name"))),
                    "config file", false);
        }
        Path stored = dataDir.resolve(FILE);
        if (Files.exists(stored)) {
            Properties p = load(stored);
            return new Resolved(build(require(p.getProperty("access-key"), "access-key in " + stored),
                    require(p.getProperty("secret-key"), "secret-key in " + stored),
                    first(ownerId, p.getProperty("owner-id")), first(ownerName, p.getProperty("owner-name"))),
                    stored.toString(), false);
        }
        Credential c = build(KeyMaterial.newAccessKeyId(), KeyMaterial.newSecret(), ownerId, ownerName);
        store(stored, c);
        return new Resolved(c, stored.toString(), true);
    }

    static Properties load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return p;
    }

    private static Credential build(String key, String secret, String ownerId, String ownerName) {
        String id = ownerId != null ? ownerId : KeyMaterial.ownerIdFor(key);
        if (!KeyMaterial.isOwnerId(id)) {
            throw new IllegalArgumentException("the owner id must be 64 lower-case hex digits: " + id);
        }
        return new Credential(key, secret, id, ownerName != null ? ownerName : DEFAULT_DISPLAY_NAME);
    }

    private static void store(Path file, Credential c) {
        Properties p = new Properties();
        p.setProperty("access-key", c.accessKeyId());
        p.setProperty("secret-key", c.secretKey());
        p.setProperty("owner-id", c.ownerId());
        p.setProperty("owner-name", c.ownerDisplayName());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                p.store(out, "Tessera node credentials, generated on first start. Keep this file secret.");
            }
            Files.move(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String require(String v, String what) {
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        return v;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
