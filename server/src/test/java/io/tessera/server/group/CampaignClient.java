package io.tessera.server.group;

import io.tessera.server.jepsen.HistoryRecorder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * One client of a {@link GroupCampaign}, bound to one member through a client that never retries: it
 * puts unique values (small bodies and some of several MiB), reads, deletes, completes multipart uploads
 * (recorded as writes of their value) and aborts others, on a handful of keys, until told to stop. Every
 * register operation goes into the shared {@link HistoryRecorder} with its outcome: 2xx ok, 4xx or a
 * refused connection a definite failure (a read's NoSuchKey answers absent), 5xx, timeout or other I/O
 * unknown.
 *
 * <p>Runs on one thread; the recorder, the figures and the map of value lengths it shares are thread-safe.
 */
final class CampaignClient implements Runnable {
    static final String BUCKET = "campaign";
    private static final int MIB = 1 << 20;
    private static final int MIN_PART = 5 * MIB;
    /** How long a client whose member refuses connections waits before its next request. */
    private static final long REFUSED_PAUSE_NANOS = 100_000_000L;

    private final int id;
    private final S3Client s3;
    private final List<String> keys;
    private final HistoryRecorder recorder;
    private final CampaignFigures figures;
    private final Map<String, Integer> lengths;
    private final BooleanSupplier stop;
    private final Random random;
    private long sequence;

    /**
     * @param lengths where the client notes the length of every value it writes, before writing it, so
     *     the final check can rebuild the body
     */
    CampaignClient(int id, S3Client s3, List<String> keys, HistoryRecorder recorder, CampaignFigures figures,
            Map<String, Integer> lengths, BooleanSupplier stop, long seed) {
        this.id = id;
        this.s3 = s3;
        this.keys = List.copyOf(keys);
        this.recorder = recorder;
        this.figures = figures;
        this.lengths = lengths;
        this.stop = stop;
        this.random = new Random(seed);
    }

    @Override
    public void run() {
        while (!stop.getAsBoolean()) {
            String key = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(100);
            if (dice < 35) {
                put(key);
            } else if (dice < 70) {
                read(key);
            } else if (dice < 80) {
                delete(key);
            } else if (dice < 92) {
                completeUpload(key);
            } else {
                abortUpload(key);
            }
        }
    }

    private String nextValue() {
        return "c" + id + "-" + sequence++;
    }

    private void put(String key) {
        String value = nextValue();
        int length = random.nextInt(10) == 0 ? MIB + random.nextInt(2 * MIB)
                : CampaignBodies.minimum(value) + random.nextInt(8192);
        byte[] body = CampaignBodies.body(value, length);
        lengths.put(value, length);
        HistoryRecorder.Pending op = recorder.invokeWrite(id, key, value);
        try {
            s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
            op.ok();
        } catch (SdkException e) {
            failedOrUnknown(op, e);
        }
    }

    private void read(String key) {
        HistoryRecorder.Pending op = recorder.invokeRead(id, key);
        byte[] body;
        try {
            body = s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            op.ok(null);
            return;
        } catch (SdkException e) {
            failedOrUnknown(op, e);
            return;
        }
        op.ok(observed(body, lengths, figures));
    }

    /**
     * The value {@code body} carries; a body that is not exactly the one written for the value it names
     * (other bytes, another length) is counted and observed as a value nobody wrote.
     */
    static String observed(byte[] body, Map<String, Integer> lengths, CampaignFigures figures) {
        String value = CampaignBodies.valueOf(body);
        if (CampaignBodies.intact(body) && Integer.valueOf(body.length).equals(lengths.get(value))) {
            return value;
        }
        figures.corruptReads.incrementAndGet();
        return "corrupt:" + value + ":" + body.length;
    }

    private void delete(String key) {
        HistoryRecorder.Pending op = recorder.invokeDelete(id, key);
        try {
            s3.deleteObject(d -> d.bucket(BUCKET).key(key));
            op.ok();
        } catch (SdkException e) {
            failedOrUnknown(op, e);
        }
    }

    /** Creates an upload, sends one small part or a 5 MiB one and a small one, and completes it. */
    private void completeUpload(String key) {
        String value = nextValue();
        int length = random.nextInt(5) == 0 ? MIN_PART + 1 + random.nextInt(64 << 10)
                : CampaignBodies.minimum(value) + random.nextInt(8192);
        byte[] body = CampaignBodies.body(value, length);
        String upload = create(key);
        if (upload == null) {
            return;
        }
        List<CompletedPart> parts = new ArrayList<>();
        for (int from = 0, number = 1; from < length; number++) {
            int to = length - from > MIN_PART ? from + MIN_PART : length;
            String etag = part(key, upload, number, Arrays.copyOfRange(body, from, to));
            if (etag == null) {
                abortQuietly(key, upload);
                return;
            }
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            from = to;
        }
        lengths.put(value, length);
        figures.completes.incrementAndGet();
        HistoryRecorder.Pending op = recorder.invokeWrite(id, key, value);
        try {
            s3.completeMultipartUpload(c -> c.bucket(BUCKET).key(key).uploadId(upload)
                    .multipartUpload(m -> m.parts(parts)));
            op.ok();
        } catch (SdkException e) {
            failedOrUnknown(op, e);
        }
    }

    /**
     * Creates an upload, sends a part and aborts it; an abort answered 204 must be final at once: ListParts
     * on the same member then answers NoSuchUpload (a 5xx or no answer decides nothing).
     */
    private void abortUpload(String key) {
        String upload = create(key);
        if (upload == null) {
            return;
        }
        part(key, upload, 1, CampaignBodies.body(nextValue(), 1024));
        try {
            s3.abortMultipartUpload(a -> a.bucket(BUCKET).key(key).uploadId(upload));
        } catch (SdkException e) {
            countUnavailable(e);
            return;
        }
        figures.aborts.incrementAndGet();
        try {
            s3.listParts(l -> l.bucket(BUCKET).key(key).uploadId(upload));
            figures.abortsNotFinal.incrementAndGet();
        } catch (NoSuchUploadException e) {
            // final, as promised
        } catch (SdkException e) {
            countUnavailable(e);
        }
    }

    private String create(String key) {
        try {
            return s3.createMultipartUpload(c -> c.bucket(BUCKET).key(key)).uploadId();
        } catch (SdkException e) {
            countUnavailable(e);
            return null;
        }
    }

    /** The part's ETag, or null when it was not acknowledged. */
    private String part(String key, String upload, int number, byte[] bytes) {
        try {
            return s3.uploadPart(u -> u.bucket(BUCKET).key(key).uploadId(upload).partNumber(number),
                    RequestBody.fromBytes(bytes)).eTag();
        } catch (SdkException e) {
            countUnavailable(e);
            return null;
        }
    }

    private void abortQuietly(String key, String upload) {
        try {
            s3.abortMultipartUpload(a -> a.bucket(BUCKET).key(key).uploadId(upload));
        } catch (SdkException e) {
            countUnavailable(e);
        }
    }

    /**
     * A 4xx: it did not happen; nor when no connection was made (the member is down: the request never
     * left), and then the client gives the member a moment before its next request; anything else (5xx,
     * timeout, reset): it may have.
     */
    private void failedOrUnknown(HistoryRecorder.Pending op, SdkException e) {
        if (e instanceof AwsServiceException s && s.statusCode() >= 400 && s.statusCode() < 500) {
            op.fail();
        } else if (neverConnected(e)) {
            op.fail();
            java.util.concurrent.locks.LockSupport.parkNanos(REFUSED_PAUSE_NANOS); // pacing, not waiting for anything
        } else {
            countUnavailable(e);
            op.unknown();
        }
    }

    /** Whether the request failed before a connection to the member existed (refused: it never reached it). */
    private static boolean neverConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private void countUnavailable(SdkException e) {
        if (e instanceof AwsServiceException s && s.statusCode() == 503) {
            figures.serviceUnavailable.incrementAndGet();
        }
    }
}
