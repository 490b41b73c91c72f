package io.tessera.server.form;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming {@code multipart/form-data} parser (RFC 7578 on RFC 2046 framing): bytes go in as they
 * arrive, in pieces of any size, and come out as parts whose content is handed on as it is found, never
 * gathered: it holds back at most one delimiter's length of bytes that might start the next delimiter.
 * Part heads are limited to {@link #MAX_HEAD_BYTES}; everything before the first delimiter and after the
 * last is ignored. Not thread-safe: one per request body.
 */
public final class FormDataParser {
    /** Largest head (header lines) of one part. */
    public static final int MAX_HEAD_BYTES = 8 * 1024;

    /** Receives the parts, in order. */
    public interface Listener {
        /** A part begins; {@code headers} has lower-case names. */
        void partStarted(Map<String, String> headers);

        /** The next bytes of the current part's content, between position and limit; consumed before return. */
        void partData(ByteBuffer data);

        /** The current part ended (its closing delimiter was seen). */
        void partEnded();
    }

    /** A body that is not well-formed {@code multipart/form-data}. */
    public static final class MalformedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    private enum State { PREAMBLE, AFTER_DELIMITER, HEAD, CONTENT, EPILOGUE }

    private static final int CRLF = 0x0d0a;
    private static final int CRLF_CRLF = 0x0d0a0d0a;

    private final byte[] delimiter;
    private final Listener listener;
    /** Bytes held back because they may begin a delimiter (PREAMBLE, CONTENT) or a head end (HEAD). */
    private final byte[] carry;
    private int carried;
    private State state = State.PREAMBLE;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    /** The last four bytes of the head, for spotting its end. */
    private int last4;
    private final byte[] afterDelimiter = new byte[2];
    private int afterDelimiterBytes;

    /**
     * @param boundary the {@code boundary} parameter of the Content-Type (1 to 70 characters)
     * @param listener receives the parts
     */
    public FormDataParser(String boundary, Listener listener) {
        if (boundary.isEmpty() || boundary.length() > 70) {
            throw new MalformedException("the boundary must be 1 to 70 characters");
        }
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.listener = listener;
        this.carry = new byte[delimiter.length];
        // the first delimiter may open the body without a line break before it
        carry[0] = '\r';
        carry[1] = '\n';
        carried = 2;
    }

    /** The boundary of a {@code multipart/form-data} Content-Type, or null when it is another type. */
    public static String boundaryOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("multipart/form-data")) {
            return null;
        }
        Map<String, String> params = parameters(contentType.substring(parts[0].length()));
        String b = params.get("boundary");
        return b == null || b.isEmpty() ? null : b;
    }

    /** Whether the closing delimiter was seen: the form is complete. */
    public boolean finished() {
        return state == State.EPILOGUE;
    }

    /** Consumes all of {@code buf}. */
    public void feed(ByteBuffer buf) {
        while (buf.hasRemaining()) {
            switch (state) {
                case PREAMBLE, CONTENT -> scanContent(buf);
                case AFTER_DELIMITER -> afterDelimiter(buf);
                case HEAD -> head(buf);
                case EPILOGUE -> buf.position(buf.limit());
                default -> throw new IllegalStateException(state.toString());
            }
        }
    }

    /** Checks that the body ended where a form may end. */
    public void end() {
        if (state != State.EPILOGUE) {
            throw new MalformedException("the body ended before the closing boundary");
        }
    }

    private void emit(ByteBuffer data) {
        if (state == State.CONTENT && data.hasRemaining()) {
            listener.partData(data);
        }
    }

    /**
     * Content (or preamble) up to the next delimiter. First the held-back bytes are tried as the start of a
     * delimiter continued by {@code buf}; then {@code buf} is searched; a possible delimiter start at its end
     * is held back.
     */
    private void scanContent(ByteBuffer buf) {
        for (int s = 0; s < carried; s++) {
            int matched = matchAcross(s, buf);
            if (matched < 0) {
                continue;
            }
            emit(ByteBuffer.wrap(Arrays.copyOf(carry, s)));
            int fromCarry = carried - s;
            if (fromCarry + matched == delimiter.length) {
                buf.position(buf.position() + matched);
                carried = 0;
                delimiterFound();
            } else { // all of buf continues a delimiter prefix: keep holding
                System.arraycopy(carry, s, carry, 0, fromCarry);
                buf.get(carry, fromCarry, matched);
                carried = fromCarry + matched;
            }
            return;
        }
        emit(ByteBuffer.wrap(Arrays.copyOf(carry, carried)));
        carried = 0;
        int start = buf.position();
        int limit = buf.limit();
        for (int i = start; i < limit; i++) {
            if (buf.get(i) != '\r') {
                continue;
            }
            int n = Math.min(delimiter.length, limit - i);
            boolean prefix = true;
            for (int j = 1; j < n; j++) {
                if (buf.get(i + j) != delimiter[j]) {
                    prefix = false;
                    break;
                }
            }
            if (!prefix) {
                continue;
            }
            emit(buf.duplicate().position(start).limit(i));
            if (n == delimiter.length) {
                buf.position(i + n);
                delimiterFound();
            } else {
                buf.position(i);
                buf.get(carry, 0, n);
                carried = n;
            }
            return;
        }
        emit(buf.duplicate().position(start).limit(limit));
        buf.position(limit);
    }

    /**
     * How many bytes of {@code buf} complete the delimiter begun by {@code carry[s..carried)}, or -1 when
     * they do not continue it; a result short of completing it means {@code buf} ended first.
     */
    private int matchAcross(int s, ByteBuffer buf) {
        int have = carried - s;
        for (int j = 0; j < have; j++) {
            if (carry[s + j] != delimiter[j]) {
                return -1;
            }
        }
        int need = delimiter.length - have;
        int n = Math.min(need, buf.remaining());
        for (int j = 0; j < n; j++) {
            if (buf.get(buf.position() + j) != delimiter[have + j]) {
                return -1;
            }
        }
        return n;
    }

    private void delimiterFound() {
        if (state == State.CONTENT) {
            listener.partEnded();
        }
        state = State.AFTER_DELIMITER;
        afterDelimiterBytes = 0;
    }

    /** After a delimiter: {@code --} closes the form, CRLF opens a part's head. */
    private void afterDelimiter(ByteBuffer buf) {
        while (buf.hasRemaining() && afterDelimiterBytes < 2) {
            byte b = buf.get();
            if (afterDelimiterBytes == 0 && (b == ' ' || b == '\t')) {
                continue; // transport padding
            }
            afterDelimiter[afterDelimiterBytes++] = b;
        }
        if (afterDelimiterBytes < 2) {
            return;
        }
        if (afterDelimiter[0] == '-' && afterDelimiter[1] == '-') {
            state = State.EPILOGUE;
        } else if (afterDelimiter[0] == '\r' && afterDelimiter[1] == '\n') {
            state = State.HEAD;
            head.reset();
            last4 = 0;
        } else {
            throw new MalformedException("a boundary must be followed by CRLF or --");
        }
    }

    private void head(ByteBuffer buf) {
        while (buf.hasRemaining()) {
            byte b = buf.get();
            head.write(b);
            last4 = (last4 << 8) | (b & 0xff);
            int n = head.size();
            if (n > MAX_HEAD_BYTES) {
                throw new MalformedException("a part's headers exceed " + MAX_HEAD_BYTES + " bytes");
            }
            boolean empty = n == 2 && (last4 & 0xffff) == CRLF;
            if (empty || (n >= 4 && last4 == CRLF_CRLF)) {
                byte[] bytes = head.toByteArray();
                Map<String, String> headers = parseHead(empty ? "" : new String(bytes, 0, n - 4,
                        StandardCharsets.UTF_8));
                state = State.CONTENT;
                listener.partStarted(headers);
                return;
            }
        }
    }

    private static Map<String, String> parseHead(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return headers;
        }
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedException("a part header line lacks a name");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }

    /**
     * The parameters of a header value after its first token ({@code ; name="value"; other=token}), with
     * lower-case names; quoted values lose their quotes and backslash escapes.
     */
    public static Map<String, String> parameters(String rest) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = rest.length();
        while (i < n) {
            while (i < n && (rest.charAt(i) == ';' || rest.charAt(i) == ' ' || rest.charAt(i) == '\t')) {
                i++;
            }
            int eq = rest.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = rest.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && rest.charAt(i) == '"') {
                i++;
                while (i < n && rest.charAt(i) != '"') {
                    char c = rest.charAt(i++);
                    if (c == '\\' && i < n) {
                        c = rest.charAt(i++);
                    }
                    value.append(c);
                }
                i++; // the closing quote
            } else {
                while (i < n && rest.charAt(i) != ';') {
                    value.append(rest.charAt(i++));
                }
            }
            out.putIfAbsent(name, value.toString().trim());
        }
        return out;
    }
}
