package io.tessera.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What each payload mode puts on the wire, read off a raw socket that stands in for the node (TLS
 * with the driver's own certificate for {@code tls}): the {@code x-amz-content-sha256} and trailer
 * headers of an UploadPart and the first aws-chunked chunk header, signed ({@code ;chunk-signature=})
 * or not. The SDK's signer silently signs payloads over plain http, so {@code unsigned} needs proof.
 */
class PayloadModeWireTest {
    private static final String ACCESS_KEY = "AKIATESSERAWIRETEST0";
    private static final String SECRET_KEY = "tessera/wire+secret/KEY0123456789abcdefg";

    /** The request head and the first line of the body, as received. */
    private record Captured(String requestLine, Map<String, String> headers, String firstChunkLine) {
    }

    @ParameterizedTest
    @EnumSource(PayloadMode.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void uploadPartGoesOutInTheModesFraming(PayloadMode mode, @TempDir Path dir) throws Exception {
        SelfSignedCertificate cert = mode.https() ? SelfSignedCertificate.create(dir) : null;
        try (ServerSocket server = mode.https() ? tlsServer(cert) : new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Captured> captured = CompletableFuture.supplyAsync(() -> capture(server));
            URI endpoint = URI.create((mode.https() ? "https" : "http") + "://127.0.0.1:" + server.getLocalPort());
            WireTokens wire = new WireTokens();
            byte[] body = new byte[300_000];
            try (S3Client s3 = S3Clients.create(endpoint, ACCESS_KEY, SECRET_KEY, 1, mode,
                    cert == null ? null : cert.certificateFile(), wire)) {
                // The stand-in answers 500 after the first chunk line; the SDK must see that as a failure.
                assertThrows(RuntimeException.class, () -> s3.uploadPart(b -> b.bucket("b").key("k").uploadId("u")
                        .partNumber(1), RequestBody.fromBytes(body)));
            }
            Captured c = captured.get(30, TimeUnit.SECONDS);
            assertTrue(c.requestLine().startsWith("PUT /b/k?"), c.requestLine());
            assertEquals(mode.contentSha256(), c.headers().get("x-amz-content-sha256"), c.headers().toString());
            assertEquals("x-amz-checksum-crc32", c.headers().get("x-amz-trailer"), c.headers().toString());
            assertEquals("aws-chunked", c.headers().get("content-encoding"), c.headers().toString());
            assertEquals(Integer.toString(body.length), c.headers().get("x-amz-decoded-content-length"));
            if (mode == PayloadMode.SIGNED) {
                assertTrue(c.firstChunkLine().startsWith("20000;chunk-signature="), c.firstChunkLine());
            } else {
                assertEquals("20000", c.firstChunkLine());
            }
            assertEquals(Map.of(mode.contentSha256(), 1L), wire.seen());
        }
    }

    @ParameterizedTest
    @EnumSource(PayloadMode.class)
    void theModesFloorIsTheHashTheNodeMustRun(PayloadMode mode) {
        assertEquals(mode == PayloadMode.SIGNED ? HashFloor.Kind.MD5_SHA256 : HashFloor.Kind.MD5_CRC32, mode.floor());
        assertFalse(mode.label().isEmpty());
        assertEquals(mode, PayloadMode.parse(" " + mode.label().toUpperCase(Locale.ROOT)));
    }

    /** Reads one request's head, lets the body come, reads its first line, answers 500 and hangs up. */
    private static Captured capture(ServerSocket server) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String[] head = readHead(in).split("\r\n");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            String first = readLine(in);
            out.write("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new Captured(head[0], headers, first);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.US_ASCII);
            if (s.endsWith("\r\n\r\n")) {
                return s.substring(0, s.length() - 4);
            }
        }
        throw new IOException("connection closed in the request head: " + b.toString(StandardCharsets.US_ASCII));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII).trim();
    }

    /** A TLS server socket on loopback with the driver's certificate and key. */
    private static ServerSocket tlsServer(SelfSignedCertificate cert) throws Exception {
        String pem = Files.readString(cert.keyFile(), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("node", key, new char[0], new Certificate[] {cert.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }
}
