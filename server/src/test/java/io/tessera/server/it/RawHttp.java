package io.tessera.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A raw HTTP/1.1 client on a plain socket, for what SDKs never do: watching the interim
 * {@code 100 Continue} line, sending part of a body and hanging up, pipelining, sending garbage.
 * Requests are signed with the SDK's SigV4 signer ({@code UNSIGNED-PAYLOAD}).
 */
final class RawHttp implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawHttp(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The signed request head (request line and headers, ending with the blank line). */
    static String signedHead(String method, int port, String pathAndQuery, Map<String, String> headers,
                             String accessKey, String secretKey, Clock clock, Duration presign) {
        URI uri = URI.create("http://127.0.0.1:" + port + pathAndQuery);
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(b::putHeader);
        AwsV4HttpSigner signer = AwsV4HttpSigner.create();
        SignedRequest signed = signer.sign(r -> {
            r.identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                    .request(b.build())
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false);
            if (clock != null) {
                r.putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock);
            }
            if (presign != null) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, presign);
            }
        });
        SdkHttpRequest req = signed.request();
        StringBuilder head = new StringBuilder();
        String query = req.encodedQueryParameters().map(q -> "?" + q).orElse("");
        head.append(method).append(' ').append(req.encodedPath()).append(query).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        for (Map.Entry<String, List<String>> h : req.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase("host")) {
                continue;
            }
            for (String v : h.getValue()) {
                head.append(h.getKey()).append(": ").append(v).append("\r\n");
            }
        }
        head.append("\r\n");
        return head.toString();
    }

    /**
     * A request head signed by hand with {@code payloadHash} as {@code x-amz-content-sha256} (which the SDK
     * signer would replace), for streaming forms whose body a test frames itself. {@code pathAndQuery}
     * must need no encoding (query parameters {@code name=value} sort as given); every given header is signed.
     */
    static String signedHeadWithPayload(String method, int port, String pathAndQuery, Map<String, String> headers,
                                        String payloadHash) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : String.join("&", new java.util.TreeSet<>(
                java.util.Arrays.asList(pathAndQuery.substring(q + 1).split("&"))));
        String amzDate = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        String date = amzDate.substring(0, 8);
        java.util.TreeMap<String, String> signed = new java.util.TreeMap<>();
        headers.forEach((k, v) -> signed.put(k.toLowerCase(Locale.ROOT), v.trim()));
        signed.put("host", "127.0.0.1:" + port);
        signed.put("x-amz-date", amzDate);
        signed.put("x-amz-content-sha256", payloadHash);
        StringBuilder canonical = new StringBuilder(method + "\n" + path + "\n" + query + "\n");
        signed.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
        String names = String.join(";", signed.keySet());
        canonical.append('\n').append(names).append('\n').append(payloadHash);
        String scope = date + "/us-east-1/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonical.toString());
        byte[] key = hmac(("AWS4" + TestNode.SECRET_KEY).getBytes(StandardCharsets.UTF_8), date);
        for (String part : new String[] {"us-east-1", "s3", "aws4_request"}) {
            key = hmac(key, part);
        }
        String signature = java.util.HexFormat.of().formatHex(hmac(key, toSign));
        StringBuilder head = new StringBuilder(method + " " + pathAndQuery + " HTTP/1.1\r\n");
        signed.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Authorization: AWS4-HMAC-SHA256 Credential=").append(TestNode.ACCESS_KEY).append('/')
                .append(scope).append(", SignedHeaders=").append(names).append(", Signature=").append(signature)
                .append("\r\n\r\n");
        return head.toString();
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String signedHead(String method, int port, String pathAndQuery, Map<String, String> headers) {
        return signedHead(method, port, pathAndQuery, headers, TestNode.ACCESS_KEY, TestNode.SECRET_KEY, null, null);
    }

    void send(String s) {
        send(s.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] b) {
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One response: status line, headers (lower-case names) and body (by Content-Length). */
    record Response(String statusLine, int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Reads the next response head; when {@code withBody}, also its Content-Length body. */
    Response read(boolean withBody) {
        try {
            String status = line();
            Map<String, String> headers = new LinkedHashMap<>();
            String l;
            while (!(l = line()).isEmpty()) {
                int c = l.indexOf(':');
                headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
            }
            byte[] body = new byte[0];
            if (withBody && headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            }
            return new Response(status, Integer.parseInt(status.split(" ")[1]), headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection (reads EOF within the socket timeout). */
    boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // ignore
        }
    }
}
