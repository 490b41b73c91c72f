package io.tessera.server.handler;

import io.tessera.engine.BodyExpectations;
import io.tessera.engine.BodyWriter;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.PutOptions;
import io.tessera.server.auth.AuthResult;
import io.tessera.server.auth.SigV4Verifier;
import io.tessera.server.error.S3ErrorCode;
import io.tessera.server.error.S3Exception;
import io.tessera.server.form.FormDataParser;
import io.tessera.server.form.PostPolicy;
import io.tessera.server.http.BodyChunk;
import io.tessera.server.http.BodySink;
import io.tessera.server.http.Headers;
import io.tessera.server.http.S3Response;
import io.tessera.server.http.SerialExecutor;
import io.tessera.server.keys.Access;
import io.tessera.server.xml.ETags;
import io.tessera.server.xml.PostResponse;
import io.tessera.server.xml.S3Xml;
import io.tessera.server.xml.UrlEncoding;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;

/**
 * Streams a browser form upload ({@code POST /{Bucket}}, {@code multipart/form-data}) into the engine.
 * The fields before the file are collected (at most {@link #MAX_FIELD_BYTES}); when the file part begins,
 * the policy's signature and conditions are checked and an object write is started, and the file's bytes
 * stream into it as they arrive, checked against the policy's {@code content-length-range}; nothing is
 * committed before the closing boundary. While the write is being begun, later body chunks are held
 * unreleased, which stops the connection from reading (backpressure), so memory stays bounded by one
 * chunk plus the read window. Fields after the file are ignored, as in S3.
 *
 * <p>Every step runs on the engine's I/O threads, one at a time ({@link SerialExecutor}); the state is
 * confined to them.
 */
final class FormUpload implements BodySink, FormDataParser.Listener {
    /** Most bytes of form data before the file, as in S3 (20 KB). */
    static final int MAX_FIELD_BYTES = 20 * 1024;

    private final Call call;
    private final SigV4Verifier verifier;
    private final Clock clock;
    private final FormDataParser parser;
    private final SerialExecutor serial;
    private final FormFields fields = new FormFields();
    private final ArrayDeque<BodyChunk> queued = new ArrayDeque<>();

    private long fieldBytes;
    private String fieldName;
    private ByteArrayOutputStream fieldValue;
    private boolean fileStarted;
    private boolean fileEnded;
    private String filename;
    private String key;
    private PostPolicy.LengthRange range;
    private long fileBytes;
    private ByteArrayOutputStream held;
    private BodyWriter<ObjectInfo> writer;
    private boolean ended;
    private boolean done;

    FormUpload(Call call, String boundary, SigV4Verifier verifier, Clock clock) {
        this.call = call;
        this.verifier = verifier;
        this.clock = clock;
        this.parser = new FormDataParser(boundary, this);
        this.serial = new SerialExecutor(call.ctx().io());
    }

    private boolean waitingForWriter() {
        return fileStarted && writer == null;
    }

    // ---- the body, as it arrives ----

    @Override
    public void onChunk(BodyChunk chunk) {
        serial.execute(() -> {
            if (done) {
                chunk.release();
            } else if (waitingForWriter()) {
                queued.add(chunk);
            } else {
                process(chunk);
            }
        });
    }

    @Override
    public void onEnd(Headers trailers) {
        serial.execute(() -> {
            ended = true;
            if (!done && !waitingForWriter()) {
                finish();
            }
        });
    }

    @Override
    public void onAbort() {
        serial.execute(() -> fail(new S3Exception(S3ErrorCode.INCOMPLETE_BODY,
                "The connection closed before the body ended.")));
    }

    @Override
    public void onRefused(RuntimeException why) {
        serial.execute(() -> fail(why));
    }

    private void process(BodyChunk chunk) {
        try {
            parser.feed(chunk.buffer());
        } catch (FormDataParser.MalformedException e) {
            fail(malformed());
        } catch (Throwable t) {
            fail(t);
        } finally {
            chunk.release();
        }
    }

    // ---- the parts ----

    @Override
    public void partStarted(Map<String, String> headers) {
        if (fileStarted) {
            fieldName = null; // fields after the file are ignored
            return;
        }
        String disposition = headers.get("content-disposition");
        if (disposition == null || !disposition.trim().toLowerCase(Locale.ROOT).startsWith("form-data")) {
            throw malformed();
        }
        Map<String, String> params = FormDataParser.parameters(disposition.substring(disposition.indexOf(';') + 1));
        String name = params.get("name");
        if (name == null || disposition.indexOf(';') < 0) {
            throw malformed();
        }
        headers.forEach((k, v) -> countFieldBytes(k.length() + v.length() + 4));
        if (name.equalsIgnoreCase("file")) {
            filename = params.get("filename");
            startFile();
        } else {
            fieldName = name;
            fieldValue = new ByteArrayOutputStream();
        }
    }

    @Override
    public void partData(ByteBuffer data) {
        if (!fileStarted) {
            if (fieldName != null) {
                countFieldBytes(data.remaining());
                byte[] b = new byte[data.remaining()];
                data.get(b);
                fieldValue.writeBytes(b);
            }
            return;
        }
        if (fileEnded) {
            data.position(data.limit());
            return;
        }
        fileBytes += data.remaining();
        if (range != null && fileBytes > range.max()) {
            throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE, "Your proposed upload exceeds the maximum allowed"
                    + " size").with("MaxSizeAllowed", Long.toString(range.max()));
        }
        if (writer != null) {
            writer.write(data);
        } else {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            held.writeBytes(b);
        }
    }

    @Override
    public void partEnded() {
        if (!fileStarted && fieldName != null) {
            fields.add(fieldName, fieldValue.toString(StandardCharsets.UTF_8));
            fieldName = null;
        } else if (fileStarted) {
            fileEnded = true;
        }
    }

    private void countFieldBytes(int n) {
        fieldBytes += n;
        if (fieldBytes > MAX_FIELD_BYTES) {
            throw new S3Exception(S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED);
        }
    }

    // ---- authentication and the write ----

    /** The call as made by the policy's signer, once signature and conditions hold. */
    private Call authenticate() {
        if (fields.get("policy") == null) {
            if (fields.get("awsaccesskeyid") != null || fields.get("signature") != null) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Signature Version 2 is not supported; sign the"
                        + " policy with AWS Signature Version 4 (AWS4-HMAC-SHA256).");
            }
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Anonymous form uploads are not allowed: the form needs"
                    + " a policy signed with AWS Signature Version 4.");
        }
        for (String name : FormFields.SIGNATURE_FIELDS) {
            fields.required(name);
        }
        AuthResult signer = verifier.verifyPostPolicy(fields.get("x-amz-algorithm"), fields.get("x-amz-credential"),
                fields.get("x-amz-date"), fields.get("policy"), fields.get("x-amz-signature"));
        PostPolicy policy = PostPolicy.parse(fields.get("policy"));
        policy.check(fields.asMap(), call.bucket(), clock.instant());
        range = policy.lengthRange();
        return call.authenticatedAs(signer);
    }

    private void startFile() {
        fileStarted = true;
        Call signed = authenticate();
        key = fields.key(filename);
        PutOptions options = PutOptions.of(fields.metadata(), signed.ownerId());
        held = new ByteArrayOutputStream();
        String bucket = call.bucket();
        call.ctx().engine().call(e -> {
            signed.bucket(e, bucket, Access.WRITE);
            return e.beginPutObject(bucket, key, options);
        }).whenComplete((w, err) -> serial.execute(() -> writerReady(w, err)));
    }

    private void writerReady(BodyWriter<ObjectInfo> w, Throwable err) {
        if (done) {
            if (w != null) {
                w.close();
            }
            return;
        }
        if (err != null) {
            fail(err);
            return;
        }
        writer = w;
        try {
            writer.write(ByteBuffer.wrap(held.toByteArray()));
            held = null;
        } catch (Throwable t) {
            fail(t);
            return;
        }
        while (!done && !queued.isEmpty()) {
            process(queued.poll());
        }
        if (!done && ended) {
            finish();
        }
    }

    private void finish() {
        try {
            if (!fileStarted) {
                authenticate();
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "POST requires exactly one file upload per"
                        + " request.").with("ArgumentName", "file").with("ArgumentValue", "0");
            }
            try {
                parser.end();
            } catch (FormDataParser.MalformedException e) {
                throw malformed();
            }
            if (range != null && fileBytes < range.min()) {
                throw new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL, "Your proposed upload is smaller than the minimum"
                        + " allowed size").with("ProposedSize", Long.toString(fileBytes))
                        .with("MinSizeAllowed", Long.toString(range.min()));
            }
            ObjectInfo info = writer.commit(BodyExpectations.NONE);
            done = true;
            writer.close();
            call.respond(success(info));
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void fail(Throwable t) {
        if (done) {
            return;
        }
        done = true;
        if (writer != null) {
            writer.close();
        }
        BodyChunk c;
        while ((c = queued.poll()) != null) {
            c.release();
        }
        call.fail(t);
    }

    private S3Response success(ObjectInfo info) {
        String etag = ETags.quoted(info.etag());
        String host = call.req().header("Host");
        String location = "http://" + host + "/" + UrlEncoding.encodeKey(call.bucket()) + "/"
                + UrlEncoding.encodeKey(key);
        URI redirect = fields.redirect();
        if (redirect != null) {
            String target = redirect + (redirect.getRawQuery() == null ? "?" : "&") + "bucket="
                    + URLEncoder.encode(call.bucket(), StandardCharsets.UTF_8) + "&key="
                    + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&etag="
                    + URLEncoder.encode(etag, StandardCharsets.UTF_8);
            return S3Response.status(303).header("Location", target).header("ETag", etag);
        }
        int status = fields.successStatus();
        S3Response r = status == 201
                ? S3Response.xml(201, S3Xml.toBytes(new PostResponse(location, call.bucket(), key, etag)))
                : S3Response.status(status);
        return r.header("ETag", etag).header("Location", location);
    }

    private static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST);
    }
}
