package io.tessera.server.auth;

import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Incremental, push-based decoder of an {@code aws-chunked} request body in its three forms:
 * signed chunks ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}), signed chunks with a signed trailer
 * ({@code …-PAYLOAD-TRAILER}) and unsigned chunks with a trailer ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}).
 *
 * <p>Feed the wire bytes with {@link #feed} as they arrive, split anywhere (a chunk header or CRLF may
 * straddle two buffers). Chunk data goes to the sink as read-only slices of the input buffer, without
 * copying; a slice is only valid as long as the caller keeps that buffer's content. Each chunk's
 * SHA-256 is computed as its data passes and its signature is checked as soon as the chunk is
 * complete, before the chunk's last slice reaches the sink. When the body has ended, {@link #finish}
 * checks that the stream ended properly and returns the trailers.
 *
 * <p>Data reaches the sink before the whole body is proven: the caller must not commit anything until
 * {@link #finish} returned. Any {@link S3Exception} leaves the decoder failed; it cannot be reused.
 *
 * <p>One decoder per request; not thread-safe.
 */
public final class AwsChunkedDecoder {
    /** Largest accepted chunk (as MinIO). */
    public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;
    /** Longest accepted chunk-header or trailer line, without its line end. */
    public static final int MAX_LINE = 4096;
    /** Most trailing headers accepted. */
    public static final int MAX_TRAILERS = 32;

    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";
    private static final byte[] CHUNK_SIGNATURE = "chunk-signature".getBytes(StandardCharsets.US_ASCII);

    private enum State { CHUNK_HEADER, CHUNK_DATA, DATA_CR, DATA_LF, TRAILER, DONE, FINISHED, FAILED }

    private final PayloadMode mode;
    private final ChunkSignatureChain chain;
    private final MessageDigest chunkDigest;
    private final long declaredLength;
    private final byte[] chunkSignature = new byte[32];
    private final LinkedHashMap<String, String> trailers = new LinkedHashMap<>();

    private State state = State.CHUNK_HEADER;
    private byte[] line = new byte[128];
    private int lineLength;
    private long chunkRemaining;
    private long decoded;
    private boolean trailerSignatureSeen;
    private Trailers result;

    private AwsChunkedDecoder(PayloadMode mode, ChunkSignatureChain chain, long declaredLength) {
        this.mode = mode;
        this.chain = chain;
        this.chunkDigest = chain == null ? null : Crypto.newSha256();
        this.declaredLength = declaredLength;
    }

    /**
     * A decoder for the body of a request that {@link SigV4Verifier} authenticated with a chunked
     * {@link PayloadMode}.
     *
     * @param declaredDecodedLength the {@code x-amz-decoded-content-length}, or -1 when not sent; when
     *     given, a longer body fails in {@link #feed} ({@code InvalidRequest}) and a shorter one in
     *     {@link #finish} ({@code IncompleteBody})
     * @throws IllegalArgumentException if the payload mode is not chunked
     */
    public static AwsChunkedDecoder forRequest(AuthResult auth, long declaredDecodedLength) {
        PayloadMode mode = auth.payloadMode();
        if (!mode.isChunked()) {
            throw new IllegalArgumentException("payload mode " + mode + " is not aws-chunked");
        }
        ChunkSignatureChain chain = mode.isChunkSigned()
                ? new ChunkSignatureChain(auth.signingKey(), auth.amzDate(), auth.scope(), auth.seedSignature())
                : null;
        return new AwsChunkedDecoder(mode, chain, declaredDecodedLength);
    }

    /** The form this decoder expects. */
    public PayloadMode mode() {
        return mode;
    }

    /** Decoded payload bytes passed to the sink so far. */
    public long decodedLength() {
        return decoded;
    }

    /**
     * Consumes all of {@code in} (its position ends at its limit), passing chunk data to {@code sink}
     * as read-only slices of {@code in}.
     *
     * @throws S3Exception {@code SignatureDoesNotMatch} for a bad chunk or trailer signature,
     *     {@code InvalidRequest} for malformed framing, a chunk over {@link #MAX_CHUNK_SIZE}, bytes after
     *     the end of the body or more data than declared
     * @throws IllegalStateException after a failure or after {@link #finish}
     */
    public void feed(ByteBuffer in, Consumer<? super ByteBuffer> sink) {
        checkUsable();
        try {
            while (in.hasRemaining()) {
                switch (state) {
                    case CHUNK_HEADER -> {
                        if (readLine(in)) {
                            onChunkHeader();
                        }
                    }
                    case CHUNK_DATA -> readData(in, sink);
                    case DATA_CR -> {
                        byte b = in.get();
                        if (b == '\r') {
                            state = State.DATA_LF;
                        } else if (b == '\n') {
                            state = State.CHUNK_HEADER;
                        } else {
                            throw malformed("chunk data is not followed by CRLF");
                        }
                    }
                    case DATA_LF -> {
                        if (in.get() != '\n') {
                            throw malformed("chunk data is not followed by CRLF");
                        }
                        state = State.CHUNK_HEADER;
                    }
                    case TRAILER -> {
                        if (readLine(in)) {
                            onTrailerLine();
                        }
                    }
                    case DONE -> throw malformed("data after the end of the aws-chunked body");
                    default -> throw new IllegalStateException(state.name());
                }
            }
        } catch (RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /**
     * Declares the end of the body: checks that the final zero-length chunk arrived, that a signed
     * trailer was complete and verified, and that the decoded length matches the declared one.
     * Lenient about a missing line end after the last trailer line. Idempotent once it succeeded.
     *
     * @return the trailing headers (empty for {@link PayloadMode#STREAMING_SIGNED})
     * @throws S3Exception {@code IncompleteBody} for a truncated body, {@code SignatureDoesNotMatch} for a
     *     bad trailer signature, {@code InvalidRequest} for a malformed last trailer line
     */
    public Trailers finish() {
        if (state == State.FINISHED) {
            return result;
        }
        checkUsable();
        try {
            if (state == State.TRAILER) {
                if (lineLength > 0) {
                    if (line[lineLength - 1] == '\r') {
                        lineLength--;
                    }
                    onTrailerLine();
                }
                if (state == State.TRAILER && mode == PayloadMode.STREAMING_SIGNED_TRAILER && !trailerSignatureSeen) {
                    throw incomplete("The aws-chunked body ended before its x-amz-trailer-signature.");
                }
            } else if (state != State.DONE) {
                throw incomplete("The aws-chunked body ended before its final zero-length chunk.");
            }
            if (declaredLength >= 0 && decoded < declaredLength) {
                throw incomplete("The decoded body has " + decoded + " bytes but x-amz-decoded-content-length is "
                        + declaredLength + ".");
            }
            state = State.FINISHED;
            result = Trailers.of(trailers);
            return result;
        } catch (RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    private void checkUsable() {
        if (state == State.FAILED) {
            throw new IllegalStateException("decoder failed earlier");
        }
        if (state == State.FINISHED) {
            throw new IllegalStateException("decoder already finished");
        }
    }

    private void readData(ByteBuffer in, Consumer<? super ByteBuffer> sink) {
        int start = in.position();
        int n = (int) Math.min(chunkRemaining, in.remaining());
        decoded += n;
        if (declaredLength >= 0 && decoded > declaredLength) {
            throw malformed("The decoded body is longer than x-amz-decoded-content-length (" + declaredLength + ").");
        }
        ByteBuffer slice = in.slice(start, n).asReadOnlyBuffer();
        if (chunkDigest != null) {
            int limit = in.limit();
            in.limit(start + n);
            chunkDigest.update(in);
            in.limit(limit);
        } else {
            in.position(start + n);
        }
        chunkRemaining -= n;
        if (chunkRemaining == 0) {
            if (chain != null) {
                chain.verifyChunk(chunkDigest.digest(), chunkSignature);
            }
            state = State.DATA_CR;
        }
        sink.accept(slice);
    }

    /** Accumulates up to and excluding the next LF; true when a whole line (CR stripped) is in {@link #line}. */
    private boolean readLine(ByteBuffer in) {
        int pos = in.position();
        int limit = in.limit();
        int scanLimit = Math.min(limit, pos + (MAX_LINE + 2 - lineLength));
        int i = pos;
        while (i < scanLimit && in.get(i) != '\n') {
            i++;
        }
        int len = i - pos;
        if (lineLength + len > MAX_LINE + 1) {
            throw malformed("aws-chunked header or trailer line longer than " + MAX_LINE + " bytes");
        }
        if (lineLength + len > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + len));
        }
        in.get(pos, line, lineLength, len);
        lineLength += len;
        if (i == limit) {
            in.position(limit);
            return false;
        }
        in.position(i + 1);
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        return true;
    }

    private void onChunkHeader() {
        int end = trimmedEnd();
        int i = 0;
        long size = 0;
        while (i < end && Hex.digit(line[i]) >= 0) {
            size = (size << 4) | Hex.digit(line[i]);
            if (size > MAX_CHUNK_SIZE) {
                throw malformed("Chunk size exceeds the maximum of " + MAX_CHUNK_SIZE + " bytes.");
            }
            i++;
        }
        if (i == 0) {
            throw malformed("invalid aws-chunked chunk size");
        }
        boolean signed = false;
        while (i < end) {
            if (line[i] == ' ' || line[i] == '\t') {
                i++;
                continue;
            }
            if (line[i] != ';') {
                throw malformed("invalid aws-chunked chunk header");
            }
            int nameStart = ++i;
            while (i < end && line[i] != '=' && line[i] != ';') {
                i++;
            }
            int nameEnd = i;
            int valueStart = -1;
            if (i < end && line[i] == '=') {
                valueStart = ++i;
                while (i < end && line[i] != ';') {
                    i++;
                }
            }
            if (isChunkSignature(nameStart, nameEnd)) {
                if (signed || valueStart < 0 || i - valueStart != 64
                        || !Hex.decodeInto(line, valueStart, 64, chunkSignature)) {
                    throw malformed("invalid chunk-signature in aws-chunked chunk header");
                }
                signed = true;
            }
        }
        lineLength = 0;
        if (chain != null && !signed) {
            throw malformed("aws-chunked chunk header without chunk-signature");
        }
        if (size == 0) {
            if (chain != null) {
                chain.verifyChunk(chunkDigest.digest(), chunkSignature);
            }
            state = State.TRAILER;
        } else {
            chunkRemaining = size;
            state = State.CHUNK_DATA;
        }
    }

    private boolean isChunkSignature(int start, int end) {
        while (start < end && (line[start] == ' ' || line[start] == '\t')) {
            start++;
        }
        while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        if (end - start != CHUNK_SIGNATURE.length) {
            return false;
        }
        for (int k = 0; k < CHUNK_SIGNATURE.length; k++) {
            if (line[start + k] != CHUNK_SIGNATURE[k]) {
                return false;
            }
        }
        return true;
    }

    private void onTrailerLine() {
        if (lineLength == 0) {
            if (mode == PayloadMode.STREAMING_SIGNED_TRAILER && !trailerSignatureSeen) {
                throw malformed("signed aws-chunked trailer without x-amz-trailer-signature");
            }
            state = State.DONE;
            return;
        }
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        lineLength = 0;
        if (trailerSignatureSeen) {
            throw malformed("trailing header after x-amz-trailer-signature");
        }
        int colon = text.indexOf(':');
        String name = colon < 0 ? "" : text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw malformed("malformed aws-chunked trailer line");
        }
        String value = text.substring(colon + 1).trim();
        if (name.equals(TRAILER_SIGNATURE)) {
            verifyTrailerSignature(value);
            return;
        }
        if (mode == PayloadMode.STREAMING_SIGNED) {
            throw malformed("trailing headers need x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
        }
        if (trailers.containsKey(name)) {
            throw malformed("duplicate trailing header " + name);
        }
        if (trailers.size() >= MAX_TRAILERS) {
            throw malformed("too many trailing headers");
        }
        trailers.put(name, value);
    }

    private void verifyTrailerSignature(String value) {
        if (mode != PayloadMode.STREAMING_SIGNED_TRAILER) {
            throw malformed("x-amz-trailer-signature is only allowed with STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
        }
        byte[] provided = new byte[32];
        byte[] ascii = value.getBytes(StandardCharsets.ISO_8859_1);
        if (ascii.length != 64 || !Hex.decodeInto(ascii, 0, 64, provided)) {
            throw malformed("invalid x-amz-trailer-signature");
        }
        chain.verifyTrailer(canonicalTrailerHash(), provided);
        trailerSignatureSeen = true;
    }

    /** SHA-256 of the trailers as canonical headers: sorted lower-case {@code name:value\n} lines. */
    private byte[] canonicalTrailerHash() {
        List<Map.Entry<String, String>> sorted = new ArrayList<>(trailers.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        StringBuilder sb = new StringBuilder(64);
        for (Map.Entry<String, String> e : sorted) {
            sb.append(e.getKey()).append(':');
            CanonicalRequest.appendTrimmed(sb, e.getValue());
            sb.append('\n');
        }
        MessageDigest md = Crypto.newSha256();
        return md.digest(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private int trimmedEnd() {
        int end = lineLength;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        return end;
    }

    private static S3Exception malformed(String message) {
        return new S3Exception(S3ErrorCode.INVALID_REQUEST, message);
    }

    private static S3Exception incomplete(String message) {
        return new S3Exception(S3ErrorCode.INCOMPLETE_BODY, message);
    }
}
