package io.tessera.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request on a fresh loopback connection, answered or not: the bytes go out as given, then (when
 * asked) the sending side is shut down so the node sees the end of the stream, then one response is
 * read. Every read is bounded; a node that neither answers nor closes within the bound is a hang and
 * fails the test. Stateless: every call opens and closes its own connection.
 */
final class WireCall {
    /** What came back. */
    sealed interface Outcome permits Answered, Closed {
    }

    /** A response: status, headers (lower-case names, last value wins) and body. */
    record Answered(int status, Map<String, String> headers, byte[] body) implements Outcome {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The {@code <Code>} of an S3 XML error body, or null. */
        String errorCode() {
            String t = text();
            int s = t.indexOf("<Code>");
            int e = t.indexOf("</Code>");
            return t.startsWith("<?xml") && t.contains("<Error>") && s >= 0 && e > s ? t.substring(s + 6, e) : null;
        }

        @Override
        public String toString() {
            return status + " " + (body.length > 300 ? text().substring(0, 300) + "..." : text());
        }
    }

    /** The node closed (or reset) the connection without a complete response. */
    record Closed(String how) implements Outcome {
    }

    private WireCall() {
    }

    /**
     * Sends {@code bytes} and reads the answer.
     *
     * @param halfClose  shut down the sending side after the bytes (the node then sees end of stream)
     * @param headMethod whether the request is a HEAD (the response has no body whatever its headers say)
     * @param bound      the longest the node may stay silent
     */
    static Outcome send(int port, byte[] bytes, boolean halfClose, boolean headMethod, Duration bound) {
        return exchange(port, bytes, halfClose, List.of(headMethod), bound).get(0);
    }

    /**
     * Sends {@code bytes} (several pipelined requests, say) and reads up to one response per entry of
     * {@code headMethods} (whether that request is a HEAD), stopping at the first {@link Closed}.
     */
    static List<Outcome> exchange(int port, byte[] bytes, boolean halfClose, List<Boolean> headMethods,
                                  Duration bound) {
        List<Outcome> out = new ArrayList<>();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout((int) bound.toMillis());
            try {
                OutputStream os = s.getOutputStream();
                os.write(bytes);
                os.flush();
                if (halfClose) {
                    s.shutdownOutput();
                }
            } catch (IOException e) {
                // The node refused the request early and closed: what it answered, if anything, is still readable.
            }
            InputStream in = s.getInputStream();
            for (boolean head : headMethods) {
                Outcome o = read(in, head);
                out.add(o);
                if (o instanceof Closed) {
                    break;
                }
            }
            return out;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the node neither answered nor closed the connection within " + bound
                    + " (answers so far: " + out + ")", e);
        } catch (IOException e) {
            out.add(new Closed(e.toString()));
            return out;
        }
    }

    private static Outcome read(InputStream in, boolean headMethod) throws IOException {
        while (true) {
            String status = line(in);
            if (status == null) {
                return new Closed("end of stream before a response");
            }
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new AssertionError("not an HTTP status line: " + status);
            }
            int code = Integer.parseInt(parts[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            String l;
            while ((l = line(in)) != null && !l.isEmpty()) {
                int c = l.indexOf(':');
                headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
            }
            if (l == null) {
                return new Closed("end of stream inside the response head");
            }
            if (code >= 100 && code < 200) {
                continue;
            }
            byte[] body = new byte[0];
            if (!headMethod && code != 204 && code != 304) {
                if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                    body = chunked(in);
                } else if (headers.containsKey("content-length")) {
                    int n = Integer.parseInt(headers.get("content-length"));
                    body = in.readNBytes(n);
                    if (body.length < n) {
                        return new Closed("end of stream inside the response body");
                    }
                }
            }
            return new Answered(code, headers, body);
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new IOException("end of stream in a chunked response");
            }
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                String t;
                while ((t = line(in)) != null && !t.isEmpty()) {
                    // trailers: none expected
                }
                return out.toByteArray();
            }
            out.writeBytes(in.readNBytes(n));
            line(in);
        }
    }

    /** One line without its line end, or null at end of stream before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
