package io.tessera.engine.stress;

import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.ObjectInfo;
import io.tessera.engine.ObjectMetadata;
import io.tessera.engine.PartInfo;
import io.tessera.engine.PartOptions;
import io.tessera.engine.ReadRange;
import io.tessera.engine.UploadOptions;
import io.tessera.engine.testkit.BodyPattern;
import io.tessera.engine.testkit.ObjectImage;
import io.tessera.engine.testkit.TestEngines;
import io.tessera.engine.testkit.VersionHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multipart uploads on the shared keys and on the versioned bucket's, shared with the other multipart
 * tasks so that they race: creates, parts (re-uploaded under the same number, some copied from a shared
 * key with UploadPartCopy, which is judged as a read), completes of all or some parts, and aborts. A
 * refusal counts as a race only when a concurrent task explains it; otherwise an acknowledged upload or
 * part was lost.
 */
final class MultipartTask extends StressTask {
    private static final int MAX_OPEN = 6;
    /** The share of uploads created on the versioned bucket's keys, whose Completes race with its other writers. */
    private static final int VERSIONED_PERCENT = 30;

    MultipartTask(StressWorld world, long seed, String name) {
        super(world, seed, name);
    }

    @Override
    protected void step() {
        int dice = rnd.nextInt(100);
        OpenUpload up = pick();
        if (up == null || (dice < 10 && world.uploads.size() < MAX_OPEN)) {
            create();
        } else if (dice < 55) {
            part(up);
        } else if (dice < 70) {
            partCopy(up);
        } else if (dice < 90) {
            complete(up);
        } else {
            abort(up);
        }
    }

    private OpenUpload pick() {
        List<OpenUpload> open = new ArrayList<>(world.uploads.values());
        return open.isEmpty() ? null : open.get(rnd.nextInt(open.size()));
    }

    private void create() {
        String key = rnd.nextInt(100) < VERSIONED_PERCENT ? world.versioned.randomKey(rnd) : randomKey();
        String id;
        try {
            id = world.write(() -> world.engine.createUpload(StressWorld.bucketOf(key), key,
                    UploadOptions.of(ObjectMetadata.EMPTY, TestEngines.OWNER))).uploadId();
        } catch (EngineException e) {
            world.tally.error(name + " create on " + key, e);
            return;
        }
        world.uploads.put(id, new OpenUpload(id, key, StressWorld.keyIndex(key)));
        world.tally.operations.increment();
    }

    private void part(OpenUpload up) {
        int n = 1 + rnd.nextInt(OpenUpload.PART_NUMBERS);
        int size = (int) TestEngines.MIN_PART + rnd.nextInt(300 * 1024 - (int) TestEngines.MIN_PART);
        long bodyId = world.newBody(name + " part " + n + " of " + up.id + " on " + up.key);
        byte[] body = BodyPattern.body(bodyId, up.keyIndex, size);
        String how = name + " part " + n + " of " + up.id;
        long[] token = up.partStarting(n);
        PartInfo p;
        try {
            p = world.write(() -> StressWorld.stream(() -> world.engine.beginUploadPart(StressWorld.bucketOf(up.key),
                    up.key, up.id, n, new PartOptions(null, size)), body, rnd));
        } catch (EngineException e) {
            up.partEnded(n, token, null, null, 0);
            refusedOrLost(up, how, e, false);
            return;
        }
        up.partEnded(n, token, p.etag(), List.of(new ObjectImage.Run(bodyId, up.keyIndex, 0, size)), size);
        String md5 = ObjectImage.md5Hex(body);
        if (p.size() != size || !ObjectImage.unquoted(p.etag()).equals(md5)) {
            world.tally.wrong(how + " acknowledged " + p.size() + " bytes, ETag " + p.etag() + "; sent " + size
                    + " bytes with MD5 " + md5);
            up.poisoned = true;
        }
        world.tally.operations.increment();
    }

    /** UploadPartCopy of all or a range of a shared key: a read of the source, judged by the part's ETag. */
    private void partCopy(OpenUpload up) {
        int n = 1 + rnd.nextInt(OpenUpload.PART_NUMBERS);
        String source = randomKey();
        ReadRange range = rnd.nextBoolean() ? ReadRange.ALL
                : ReadRange.bytes(rnd.nextInt(200 * 1024), 200 * 1024 + rnd.nextInt(100 * 1024));
        String how = name + " part copy of " + source + " " + range + " to part " + n + " of " + up.id;
        long[] token = up.partStarting(n);
        boolean ended = false;
        long begun = world.ticks.beginRead();
        try {
            Outcome outcome;
            long readEnded;
            PartInfo p = null;
            try {
                p = world.write(() -> world.engine.uploadPartCopy(StressWorld.BUCKET, source, range,
                        StressWorld.bucketOf(up.key), up.key, up.id, n));
                readEnded = world.ticks.next();
                outcome = new Outcome.Copied(p.size(), ObjectImage.unquoted(p.etag()));
            } catch (EngineException e) {
                readEnded = world.ticks.next();
                if (e.code() == ErrorCode.NO_SUCH_UPLOAD) {
                    refusedOrLost(up, how, e, false);
                    return;
                }
                if (!Outcome.isRefusal(e.code())) {
                    world.tally.error(how, e);
                    up.poisoned = true;
                    return;
                }
                outcome = new Outcome.Refused(e.code());
            } finally {
                world.tally.reads.increment();
                world.tally.copies.increment();
            }
            VersionHistory.Version<ObjectImage> got = world.judge(source, how, range, begun, readEnded, outcome);
            if (p == null) {
                return;
            }
            List<ObjectImage.Run> runs = null;
            if (got != null) {
                long[] span = (long[]) Outcome.resolve(got.content(), range);
                runs = got.content().slice(span[0], span[1]);
            }
            up.partEnded(n, token, p.etag(), runs, p.size());
            ended = true;
            world.tally.operations.increment();
            if (got == null) {
                up.poisoned = true;
                return;
            }
        } finally {
            world.ticks.endRead(begun);
            if (!ended) {
                up.partEnded(n, token, null, null, 0);
            }
        }
    }

    private void complete(OpenUpload up) {
        if (up.poisoned) {
            abort(up);
            return;
        }
        long eventsBefore = up.partEvents();
        boolean partsFlying = up.partsInFlight();
        Map<Integer, OpenUpload.KnownPart> known = up.parts();
        List<Integer> numbers = new ArrayList<>(known.keySet());
        if (rnd.nextBoolean() && numbers.size() > 1) {
            numbers.remove(rnd.nextInt(numbers.size())); // complete a subset
        }
        if (numbers.isEmpty()) {
            part(up);
            return;
        }
        List<CompletedPart> list = new ArrayList<>();
        List<ObjectImage.Part> image = new ArrayList<>();
        boolean tooSmall = false;
        boolean ambiguous = false;
        for (int i = 0; i < numbers.size(); i++) {
            OpenUpload.KnownPart k = known.get(numbers.get(i));
            list.add(new CompletedPart(numbers.get(i), k.etag(), null));
            image.add(new ObjectImage.Part(numbers.get(i), k.runs()));
            tooSmall |= i < numbers.size() - 1 && k.size() < TestEngines.MIN_PART;
            ambiguous |= k.ambiguous();
        }
        ObjectImage content = new ObjectImage(true, image);
        String how = name + " complete " + up.id + " on " + up.key + " with parts " + numbers;
        boolean versioned = world.versioned.holds(up.key);
        VersionHistory<ObjectImage> h = versioned ? null : world.histories.get(up.key);
        String partList = list.toString();
        up.closing.closeStarting();
        boolean succeeded = false;
        OpenUpload.SharedComplete shared = up.completeStarting(partList, () -> versioned
                ? world.versioned.completeStarting(up.key, content, how)
                : OpenUpload.tracked(h, h.begin(content, how, world.ticks.next())));
        try {
            ObjectInfo info;
            try {
                info = world.write(() -> world.engine.completeUpload(StressWorld.bucketOf(up.key), up.key, up.id, list,
                        CompleteOptions.NONE));
            } catch (EngineException e) {
                boolean noSuchUpload = e.code() == ErrorCode.NO_SUCH_UPLOAD;
                boolean raced = noSuchUpload ? !up.closing.refusalIsLoss(true)
                        : e.code() == ErrorCode.INVALID_PART
                                && (ambiguous || partsFlying || up.partsInFlight() || up.partEvents() != eventsBefore)
                        || e.code() == ErrorCode.ENTITY_TOO_SMALL && tooSmall;
                if (raced) {
                    world.tally.raceRefusals.increment();
                } else if (noSuchUpload) {
                    world.tally.lost(how + ": NO_SUCH_UPLOAD though no other task touched it: " + e.getMessage());
                    world.uploads.remove(up.id); // reported once: the upload now counts as closed
                } else if (e.code() == ErrorCode.INVALID_PART) {
                    world.tally.lost(how + ": INVALID_PART though no other task touched it: " + e.getMessage());
                    up.poisoned = true;
                } else {
                    world.tally.error(how, e);
                    up.poisoned = true;
                    return; // the complete may or may not have happened: its version stays open
                }
                up.completeEnded(partList, shared); // a refused complete changes nothing
                return;
            }
            up.completeSucceeded(shared, info.versionId(), world.ticks.next());
            up.completeEnded(partList, shared);
            succeeded = true;
            world.uploads.remove(up.id);
            world.tally.operations.increment();
            if (info.size() != content.size()) {
                world.tally.wrong(how + " acknowledged " + info.size() + " bytes, expected " + content.size());
            }
            if (versioned) {
                world.versioned.prune(up.key);
            } else {
                world.prune(h);
            }
        } finally {
            up.closing.closeEnded(succeeded);
        }
    }

    private void abort(OpenUpload up) {
        up.closing.closeStarting();
        boolean succeeded = false;
        try {
            world.write(() -> {
                world.engine.abortUpload(StressWorld.bucketOf(up.key), up.key, up.id);
                return null;
            });
            succeeded = true;
            world.uploads.remove(up.id);
            world.tally.operations.increment();
        } catch (EngineException e) {
            refusedOrLost(up, name + " abort " + up.id, e, true);
        } finally {
            up.closing.closeEnded(succeeded);
        }
    }

    /**
     * NO_SUCH_UPLOAD is a race if another task is finishing the upload or finished it; otherwise the upload
     * was lost, which is reported once ({@link UploadClosing#refusalIsLoss}).
     */
    private void refusedOrLost(OpenUpload up, String how, EngineException e, boolean closing) {
        if (e.code() != ErrorCode.NO_SUCH_UPLOAD) {
            world.tally.error(how, e);
        } else if (up.closing.refusalIsLoss(closing)) {
            world.tally.lost(how + ": NO_SUCH_UPLOAD though the upload is open: " + e.getMessage());
            world.uploads.remove(up.id);
        } else {
            world.tally.raceRefusals.increment();
        }
    }
}
