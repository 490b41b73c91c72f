package io.tessera.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.object.Etags;
import io.tessera.engine.testkit.FaultyIo;
import io.tessera.engine.testkit.ModelListing;
import io.tessera.engine.testkit.TestEngines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Random sequences of bucket, object and multipart commands (with re-uploads, gaps in part numbers,
 * subset completes, aborts, bad part lists, close and reopen, collection cycles, and crashes that lose
 * every unsynced byte) run against a real engine and an
 * in-memory model of S3: every result, listing, ETag, byte and error must equal the model's, and
 * after every step the segments' live bytes must equal exactly the records of live objects and parts.
 * Buckets may have versioning enabled and suspended: puts make versions (or replace the null one),
 * deletes add delete markers, single versions (markers too) are read and removed by id, and the
 * full version listing must equal the model's.
 */
class EngineModelProperties {
    private static final List<String> BUCKETS = List.of("alpha", "beta");
    private static final List<String> KEYS = List.of("a", "a/b", "a/c", "b", "b/x/y", "c", "c/");
    /** Keys the versioning commands use, and that puts and deletes favour, so that versions pile up. */
    private static final List<String> VERSIONED_KEYS = List.of("a", "b");
    private static final int[] SIZES = {0, 1, 100, (int) TestEngines.MIN_PART, 2000, 300_000};
    /** Small pieces: the largest size is a blob of five, and compaction and crashes meet blobs of several. */
    private static final int PIECE = 64 << 10;

    private final List<Harness> harnesses = new ArrayList<>();

    @Property // tries: jqwik.tries.default (25 in junit-platform.properties)
    void engineBehavesLikeTheModel(@ForAll("chains") ActionChain<Harness> chain) {
        chain.withInvariant("live bytes", Harness::checkLiveBytes).run();
    }

    @AfterTry
    void closeHarnesses() {
        harnesses.forEach(Harness::close);
        harnesses.clear();
    }

    @Provide
    Arbitrary<ActionChain<Harness>> chains() {
        return ActionChain.<Harness>startWith(() -> {
            Harness h = new Harness();
            harnesses.add(h);
            BUCKETS.forEach(h::createBucket); // so that most commands find a bucket and versions pile up
            return h;
        })
                .withAction(2, action("createBucket", Arbitraries.of(BUCKETS).map(b -> h -> h.createBucket(b))))
                .withAction(1, action("deleteBucket", Arbitraries.of(BUCKETS).map(b -> h -> h.deleteBucket(b))))
                .withAction(5, action("put", Combinators.combine(Arbitraries.of(BUCKETS), keys(),
                        Arbitraries.of(sizes()), Arbitraries.longs()).as((b, k, n, s) -> h -> h.put(b, k, n, s))))
                .withAction(2, action("get", Combinators.combine(Arbitraries.of(BUCKETS), Arbitraries.of(KEYS),
                        Arbitraries.longs().between(-5, 400_000), Arbitraries.longs().between(-1, 400_000))
                        .as((b, k, f, l) -> h -> h.get(b, k, f, l))))
                .withAction(2, action("delete", Combinators.combine(Arbitraries.of(BUCKETS), keys())
                        .as((b, k) -> h -> h.delete(b, k))))
                .withAction(2, action("list", Combinators.combine(Arbitraries.of(BUCKETS),
                        Arbitraries.of("", "a", "a/", "b", "c/"), Arbitraries.of("", "/", "x"),
                        Arbitraries.integers().between(1, 4)).as((b, p, d, m) -> h -> h.list(b, p, d, m))))
                .withAction(3, action("createUpload", Combinators.combine(Arbitraries.of(BUCKETS),
                        Arbitraries.of(KEYS)).as((b, k) -> h -> h.createUpload(b, k))))
                .withAction(6, action("uploadPart", Combinators.combine(Arbitraries.integers().between(0, 20),
                        Arbitraries.of(1, 2, 3, 5, 9, 10_000, 0, 10_001), Arbitraries.of(sizes()), Arbitraries.longs())
                        .as((u, n, size, seed) -> h -> h.uploadPart(u, n, size, seed))))
                .withAction(2, action("listParts", Combinators.combine(Arbitraries.integers().between(0, 20),
                        Arbitraries.integers().between(1, 3)).as((u, m) -> h -> h.listParts(u, m))))
                .withAction(2, action("listUploads", Combinators.combine(Arbitraries.of(BUCKETS),
                        Arbitraries.of("", "a", "b/"), Arbitraries.of("", "/"), Arbitraries.integers().between(1, 3))
                        .as((b, p, d, m) -> h -> h.listUploads(b, p, d, m))))
                .withAction(3, action("complete", Combinators.combine(Arbitraries.integers().between(0, 20),
                        Arbitraries.integers().between(0, 255), Arbitraries.of(CompleteFault.values()))
                        .as((u, mask, fault) -> h -> h.complete(u, mask, fault))))
                .withAction(2, action("abort", Arbitraries.integers().between(0, 20).map(u -> h -> h.abort(u))))
                .withAction(1, action("reopen", Arbitraries.just(h -> h.reopen())))
                .withAction(1, action("crash", Arbitraries.just(h -> h.crash())))
                .withAction(1, action("gc", Arbitraries.just(h -> h.gc())))
                .withAction(3, action("setVersioning", Combinators.combine(Arbitraries.of(BUCKETS),
                        Arbitraries.of(VersioningState.class)).as((b, v) -> h -> h.setVersioning(b, v))))
                .withAction(3, action("getVersion", Combinators.combine(Arbitraries.of(BUCKETS), Arbitraries.of(VERSIONED_KEYS),
                        Arbitraries.integers().between(0, 11)).as((b, k, c) -> h -> h.getVersion(b, k, c))))
                .withAction(3, action("deleteVersion", Combinators.combine(Arbitraries.of(BUCKETS),
                        Arbitraries.of(VERSIONED_KEYS), Arbitraries.integers().between(1, 11))
                        .as((b, k, c) -> h -> h.deleteVersion(b, k, c))))
                .withAction(2, action("listVersions", Combinators.combine(Arbitraries.of(BUCKETS),
                        Arbitraries.integers().between(1, 5)).as((b, m) -> h -> h.listVersions(b, m))))
                .withMaxTransformations(60);
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(KEYS)), Tuple.of(3, Arbitraries.of(VERSIONED_KEYS)));
    }

    private static Integer[] sizes() {
        return Arrays.stream(SIZES).boxed().toArray(Integer[]::new);
    }

    private static Action.Independent<Harness> action(String name,
                                                       Arbitrary<java.util.function.Consumer<Harness>> steps) {
        return () -> steps.map(step -> Transformer.mutate(name, step::accept));
    }

    enum CompleteFault { NONE, NONE_AGAIN, SWAP_ORDER, BAD_ETAG, MISSING_PART, EMPTY }

    // ---------------------------------------------------------------- the model

    /** One version of a key: an object, or a delete marker (no bytes); {@code "null"} names the null version. */
    record ModelObject(String versionId, boolean marker, byte[] data, String etag, List<Long> extentSizes) {
        static ModelObject of(byte[] data, String etag, List<Long> extentSizes) {
            return new ModelObject(VersionIds.NULL, false, data, etag, extentSizes);
        }

        static ModelObject marker(String versionId) {
            return new ModelObject(versionId, true, new byte[0], null, List.of());
        }

        ModelObject withId(String id) {
            return new ModelObject(id, marker, data, etag, extentSizes);
        }
    }

    static final class ModelUpload {
        final String bucket;
        final String key;
        final String id;
        final TreeMap<Integer, byte[]> parts = new TreeMap<>();
        String state = "ACTIVE";
        List<String> completedList;
        ModelObject completed;

        ModelUpload(String bucket, String key, String id) {
            this.bucket = bucket;
            this.key = key;
            this.id = id;
        }
    }

    static final class ModelBucket {
        VersioningState versioning = VersioningState.UNVERSIONED;
        /** Every version of every key, newest first; a key with no version has no entry. */
        final TreeMap<String, List<ModelObject>> versions = new TreeMap<>();

        /** The key's current object: its newest version unless that is a delete marker. */
        ModelObject current(String key) {
            List<ModelObject> v = versions.get(key);
            return v == null || v.get(0).marker() ? null : v.get(0);
        }

        TreeMap<String, ModelObject> objects() {
            TreeMap<String, ModelObject> out = new TreeMap<>();
            versions.forEach((k, v) -> {
                if (!v.get(0).marker()) {
                    out.put(k, v.get(0));
                }
            });
            return out;
        }

        /** A new newest version; a null one replaces the key's null version wherever that was. */
        void add(String key, ModelObject version) {
            List<ModelObject> v = versions.computeIfAbsent(key, k -> new ArrayList<>());
            if (version.versionId().equals(VersionIds.NULL)) {
                v.removeIf(o -> o.versionId().equals(VersionIds.NULL));
            }
            v.add(0, version);
        }

        ModelObject find(String key, String versionId) {
            return versions.getOrDefault(key, List.of()).stream()
                    .filter(o -> o.versionId().equals(versionId)).findFirst().orElse(null);
        }

        void remove(String key, String versionId) {
            List<ModelObject> v = versions.get(key);
            v.removeIf(o -> o.versionId().equals(versionId));
            if (v.isEmpty()) {
                versions.remove(key);
            }
        }

        /** The id a new version gets: the engine's in an Enabled bucket, else the null version. */
        String idOf(String engineVersionId) {
            if (versioning == VersioningState.ENABLED) {
                assertThat(engineVersionId).matches("[0-9a-f]{16}[A-Za-z0-9]{16}");
                return engineVersionId;
            }
            assertThat(engineVersionId).as("a null version has no id in the result").isNull();
            return VersionIds.NULL;
        }
    }

    /** A failure the model predicts. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final ErrorCode code;

        Refused(ErrorCode code) {
            super(code.name(), null, false, false);
            this.code = code;
        }
    }

    // ---------------------------------------------------------------- engine + model side by side

    final class Harness {
        private final Path dir;
        private FaultyIo io = new FaultyIo();
        private Engine engine;
        private final Map<String, ModelBucket> buckets = new TreeMap<>();
        private final List<ModelUpload> uploads = new ArrayList<>();
        /** Every version id the engine handed out, removed or not, to be asked for later. */
        private final List<String> seenIds = new ArrayList<>();

        Harness() {
            try {
                dir = Files.createTempDirectory("tessera-model");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            engine = open();
        }

        private Engine open() {
            return Engine.open(TestEngines.config(dir).withSegmentIo(io).withPieceSize(PIECE));
        }

        /** Runs the model's prediction and the engine; both must succeed alike or fail with the same code. */
        private <M, E> void expect(Callable<M> model, Callable<E> real, java.util.function.BiConsumer<M, E> compare) {
            M expected = null;
            ErrorCode expectedError = null;
            try {
                expected = model.call();
            } catch (Refused r) {
                expectedError = r.code;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            E actual;
            try {
                actual = real.call();
            } catch (EngineException e) {
                assertThat(e.code()).as("engine error (" + e.getMessage() + ")").isEqualTo(expectedError);
                return;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(expectedError).as("engine succeeded where the model expects an error").isNull();
            compare.accept(expected, actual);
        }

        private ModelBucket bucket(String name) {
            ModelBucket b = buckets.get(name);
            if (b == null) {
                throw new Refused(ErrorCode.NO_SUCH_BUCKET);
            }
            return b;
        }

        void createBucket(String name) {
            expect(() -> {
                if (buckets.containsKey(name)) {
                    throw new Refused(ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU);
                }
                buckets.put(name, new ModelBucket());
                return name;
            }, () -> engine.createBucket(name, TestEngines.OWNER), (m, e) -> assertThat(e.name()).isEqualTo(m));
        }

        void deleteBucket(String name) {
            expect(() -> {
                ModelBucket b = bucket(name);
                boolean openUploads = uploads.stream().anyMatch(u -> u.bucket.equals(name) && u.state.equals("ACTIVE"));
                if (!b.versions.isEmpty() || openUploads) {
                    throw new Refused(ErrorCode.BUCKET_NOT_EMPTY);
                }
                buckets.remove(name);
                return true;
            }, () -> {
                engine.deleteBucket(name);
                return true;
            }, (m, e) -> { });
        }

        void put(String bucket, String key, int size, long seed) {
            byte[] data = TestEngines.bytes(seed, size);
            String etag = Etags.of(Etags.md5().digest(data));
            expect(() -> bucket(bucket), () -> TestEngines.put(engine, bucket, key, data), (m, e) -> {
                assertThat(e.etag()).isEqualTo(etag);
                assertThat(e.size()).isEqualTo(size);
                m.add(key, ModelObject.of(data, etag, List.of((long) size)).withId(m.idOf(e.versionId())));
                remember(e.versionId());
            });
        }

        void get(String bucket, String key, long first, long last) {
            ReadRange range = first < 0 ? ReadRange.ALL : ReadRange.bytes(first, last);
            expect(() -> {
                ModelObject o = bucket(bucket).current(key);
                if (o == null) {
                    throw new Refused(ErrorCode.NO_SUCH_KEY);
                }
                if (first < 0) {
                    return o.data();
                }
                long size = o.data().length;
                long end = last < 0 ? size - 1 : Math.min(last, size - 1);
                if (first >= size || end < first) {
                    throw new Refused(ErrorCode.INVALID_RANGE);
                }
                return Arrays.copyOfRange(o.data(), (int) first, (int) end + 1);
            }, () -> TestEngines.read(engine, bucket, key, range), (m, e) -> assertThat(e).isEqualTo(m));
        }

        /** Unversioned: gone; Enabled: a new delete marker on top; Suspended: a null marker replaces the null version. */
        void delete(String bucket, String key) {
            expect(() -> bucket(bucket), () -> engine.deleteObject(bucket, key), (m, e) -> {
                switch (m.versioning) {
                    case UNVERSIONED -> {
                        assertThat(e).isEqualTo(DeleteOutcome.UNVERSIONED);
                        m.versions.remove(key);
                    }
                    case SUSPENDED -> {
                        assertThat(e).isEqualTo(new DeleteOutcome(VersionIds.NULL, true));
                        m.add(key, ModelObject.marker(VersionIds.NULL));
                    }
                    case ENABLED -> {
                        assertThat(e.deleteMarker()).isTrue();
                        m.add(key, ModelObject.marker(m.idOf(e.versionId())));
                        remember(e.versionId());
                    }
                    default -> throw new AssertionError(m.versioning);
                }
            });
        }

        private void remember(String versionId) {
            if (versionId != null && !versionId.equals(VersionIds.NULL)) {
                assertThat(seenIds).as("version ids are never reused").doesNotContain(versionId);
                seenIds.add(versionId);
            }
        }

        /**
         * A version id to ask for: 0 the current one (Java null), then the null version, an unknown
         * and a malformed id, any id ever handed out, and mostly the key's own versions.
         */
        private String pickId(String bucket, String key, int choice) {
            List<ModelObject> own = buckets.containsKey(bucket)
                    ? buckets.get(bucket).versions.getOrDefault(key, List.of()) : List.of();
            if (choice >= 5 && !own.isEmpty()) {
                return own.get(choice % own.size()).versionId();
            }
            if (choice >= 4 && !seenIds.isEmpty()) {
                return seenIds.get(choice * 7919 % seenIds.size());
            }
            return switch (choice % 4) {
                case 0 -> null;
                case 1 -> VersionIds.NULL;
                case 2 -> "0000000000000001AAAAAAAAAAAAAAAA";
                default -> "bogus";
            };
        }

        /** Reads look the bucket up before the id; a version delete checks the id first. */
        private ModelBucket bucketFor(String bucket, String versionId, boolean idFirst) {
            ModelBucket b = idFirst ? null : bucket(bucket);
            if (versionId != null && !VersionIds.isWellFormed(versionId)) {
                throw new Refused(ErrorCode.INVALID_ARGUMENT);
            }
            return idFirst ? bucket(bucket) : b;
        }

        void setVersioning(String bucket, VersioningState state) {
            expect(() -> {
                if (state == VersioningState.UNVERSIONED) {
                    throw new Refused(ErrorCode.INVALID_ARGUMENT);
                }
                bucket(bucket).versioning = state;
                return state;
            }, () -> {
                engine.setBucketVersioning(bucket, state);
                return engine.bucketVersioning(bucket);
            }, (m, e) -> assertThat(e).isEqualTo(m));
        }

        /** HeadObject and GetObject of a version (or of the current object): id, ETag and bytes exactly. */
        void getVersion(String bucket, String key, int choice) {
            String id = pickId(bucket, key, choice);
            ModelObject[] expected = new ModelObject[1];
            expect(() -> {
                ModelBucket b = bucketFor(bucket, id, false);
                ModelObject o = id == null ? b.current(key) : b.find(key, id);
                if (o == null) {
                    throw new Refused(id == null ? ErrorCode.NO_SUCH_KEY : ErrorCode.NO_SUCH_VERSION);
                }
                if (o.marker()) {
                    throw new Refused(ErrorCode.METHOD_NOT_ALLOWED);
                }
                expected[0] = o;
                return b.versioning == VersioningState.UNVERSIONED ? null : o.versionId();
            }, () -> engine.headObject(bucket, key, id), (m, e) -> {
                assertThat(e.versionId()).isEqualTo(m);
                assertThat(e.etag()).isEqualTo(expected[0].etag());
                assertThat(e.size()).isEqualTo(expected[0].data().length);
            });
            expect(() -> {
                bucketFor(bucket, id, false);
                if (expected[0] == null) {
                    ModelObject o = id == null ? null : buckets.get(bucket).find(key, id);
                    throw new Refused(o != null ? ErrorCode.METHOD_NOT_ALLOWED
                            : id == null ? ErrorCode.NO_SUCH_KEY : ErrorCode.NO_SUCH_VERSION);
                }
                return expected[0].data();
            }, () -> {
                try (ObjectContent c = engine.getObject(bucket, key, id, ReadRange.ALL)) {
                    return c.stream().readAllBytes();
                }
            }, (m, e) -> assertThat(e).isEqualTo(m));
        }

        /** Removes one version for good (absent is no error); the next newest becomes current. */
        void deleteVersion(String bucket, String key, int choice) {
            String picked = pickId(bucket, key, choice);
            String id = picked == null ? VersionIds.NULL : picked; // a version delete always names one
            expect(() -> {
                ModelBucket b = bucketFor(bucket, id, true);
                ModelObject o = b.find(key, id);
                if (o != null) {
                    b.remove(key, id);
                }
                return new DeleteOutcome(id, o != null && o.marker());
            }, () -> engine.deleteObjectVersion(bucket, key, id), (m, e) -> assertThat(e).isEqualTo(m));
        }

        /** Every version in order, page by page: key ascending, newest first, IsLatest and markers. */
        void listVersions(String bucket, int max) {
            List<String> seen = new ArrayList<>();
            String keyMarker = null;
            String idMarker = null;
            boolean truncated = true;
            for (int page = 0; page < 200 && truncated; page++) {
                final String km = keyMarker;
                final String im = idMarker;
                VersionListing[] real = new VersionListing[1];
                expect(() -> bucket(bucket), () -> {
                    real[0] = engine.listObjectVersions(bucket, new ListVersionsQuery(null, null, km, im, max));
                    return real[0];
                }, (m, e) -> {
                    assertThat(e.versions().size()).isLessThanOrEqualTo(max);
                    e.versions().forEach(v -> seen.add(describe(v.key(), v.versionId(), v.latest(),
                            v.deleteMarker(), v.etag(), v.size())));
                });
                if (real[0] == null) {
                    return;
                }
                truncated = real[0].truncated();
                keyMarker = real[0].nextKeyMarker();
                idMarker = real[0].nextVersionIdMarker();
            }
            assertThat(truncated).as("listing ends").isFalse();
            List<String> expected = new ArrayList<>();
            buckets.get(bucket).versions.forEach((k, vs) -> {
                for (int i = 0; i < vs.size(); i++) {
                    ModelObject o = vs.get(i);
                    expected.add(describe(k, o.versionId(), i == 0, o.marker(), o.etag(), o.data().length));
                }
            });
            assertThat(seen).containsExactlyElementsOf(expected);
        }

        private static String describe(String key, String id, boolean latest, boolean marker, String etag, long size) {
            return key + "@" + id + (latest ? " latest" : "") + (marker ? " marker" : " " + etag + " " + size);
        }

        void list(String bucket, String prefix, String delimiter, int max) {
            String after = null;
            for (int page = 0; page < 50; page++) {
                final String marker = after;
                ModelListing.Page<String>[] modelPage = new ModelListing.Page[1];
                ObjectListing[] realPage = new ObjectListing[1];
                expect(() -> {
                    List<String> keys = bucket(bucket).objects().keySet().stream()
                            .filter(k -> marker == null || k.compareTo(marker) > 0).toList();
                    modelPage[0] = ModelListing.page(keys, k -> k, prefix, delimiter, marker, max);
                    return modelPage[0];
                }, () -> {
                    realPage[0] = engine.listObjects(bucket, new ListObjectsQuery(prefix, delimiter, marker, max));
                    return realPage[0];
                }, (m, e) -> {
                    assertThat(e.objects()).extracting(ObjectInfo::key).containsExactlyElementsOf(m.entries());
                    assertThat(e.commonPrefixes()).containsExactlyElementsOf(m.prefixes());
                    assertThat(e.truncated()).isEqualTo(m.truncated());
                    for (ObjectInfo o : e.objects()) {
                        assertThat(o.etag()).isEqualTo(buckets.get(bucket).current(o.key()).etag());
                    }
                });
                if (realPage[0] == null || !realPage[0].truncated()) {
                    return;
                }
                after = realPage[0].nextMarker();
            }
        }

        private ModelUpload upload(int index) {
            if (uploads.isEmpty() || index >= uploads.size() + 2) {
                ModelUpload unknown = new ModelUpload(BUCKETS.get(index % 2), KEYS.get(index % KEYS.size()),
                        index % 3 == 0 ? "not-an-id" : "0123456789abcdef0123456789abcdef");
                unknown.state = "UNKNOWN";
                return unknown;
            }
            return uploads.get(index % uploads.size());
        }

        void createUpload(String bucket, String key) {
            expect(() -> {
                bucket(bucket);
                return true;
            }, () -> engine.createUpload(bucket, key, UploadOptions.of(ObjectMetadata.EMPTY, TestEngines.OWNER)),
                    (m, e) -> {
                        assertThat(e.key()).isEqualTo(key);
                        uploads.add(new ModelUpload(bucket, key, e.uploadId()));
                    });
        }

        private ModelUpload requireActive(ModelUpload u) {
            bucket(u.bucket);
            if (!u.state.equals("ACTIVE")) {
                throw new Refused(ErrorCode.NO_SUCH_UPLOAD);
            }
            return u;
        }

        void uploadPart(int index, int number, int size, long seed) {
            ModelUpload u = upload(index);
            byte[] data = TestEngines.bytes(seed, size);
            expect(() -> {
                if (number < 1 || number > 10_000) {
                    throw new Refused(ErrorCode.INVALID_ARGUMENT);
                }
                requireActive(u).parts.put(number, data);
                return Etags.of(Etags.md5().digest(data));
            }, () -> TestEngines.part(engine, u.bucket, u.key, u.id, number, data), (m, e) -> {
                assertThat(e.etag()).isEqualTo(m);
                assertThat(e.partNumber()).isEqualTo(number);
            });
        }

        void listParts(int index, int max) {
            ModelUpload u = upload(index);
            int marker = 0;
            for (int page = 0; page < 20; page++) {
                final int from = marker;
                PartListing[] real = new PartListing[1];
                expect(() -> {
                    List<Integer> numbers = new ArrayList<>(requireActive(u).parts.tailMap(from, false).keySet());
                    return numbers;
                }, () -> {
                    real[0] = engine.listParts(u.bucket, u.key, u.id, max, from);
                    return real[0];
                }, (m, e) -> {
                    List<Integer> expected = m.subList(0, Math.min(max, m.size()));
                    assertThat(e.parts()).extracting(PartInfo::partNumber).containsExactlyElementsOf(expected);
                    assertThat(e.truncated()).isEqualTo(m.size() > max);
                    for (PartInfo p : e.parts()) {
                        byte[] d = u.parts.get(p.partNumber());
                        assertThat(p.size()).isEqualTo(d.length);
                        assertThat(p.etag()).isEqualTo(Etags.of(Etags.md5().digest(d)));
                    }
                });
                if (real[0] == null || !real[0].truncated()) {
                    return;
                }
                marker = real[0].nextPartNumberMarker();
            }
        }

        void listUploads(String bucket, String prefix, String delimiter, int max) {
            String keyMarker = null;
            String idMarker = null;
            for (int page = 0; page < 50; page++) {
                final String km = keyMarker;
                final String im = idMarker;
                UploadListing[] real = new UploadListing[1];
                expect(() -> {
                    bucket(bucket);
                    List<ModelUpload> open = uploads.stream()
                            .filter(u -> u.bucket.equals(bucket) && u.state.equals("ACTIVE"))
                            .filter(u -> km == null || u.key.compareTo(km) > 0
                                    || (im != null && u.key.equals(km) && u.id.compareTo(im) > 0))
                            .sorted(Comparator.comparing((ModelUpload u) -> u.key).thenComparing(u -> u.id))
                            .toList();
                    return ModelListing.page(open, u -> u.key, prefix, delimiter, km, max);
                }, () -> {
                    real[0] = engine.listUploads(bucket, new ListUploadsQuery(prefix, delimiter, km, im, max));
                    return real[0];
                }, (m, e) -> {
                    assertThat(e.uploads()).extracting(UploadInfo::uploadId)
                            .containsExactlyElementsOf(m.entries().stream().map(u -> u.id).toList());
                    assertThat(e.commonPrefixes()).containsExactlyElementsOf(m.prefixes());
                    assertThat(e.truncated()).isEqualTo(m.truncated());
                });
                if (real[0] == null || !real[0].truncated()) {
                    return;
                }
                keyMarker = real[0].nextKeyMarker();
                idMarker = real[0].nextUploadIdMarker();
            }
        }

        void complete(int index, int mask, CompleteFault fault) {
            ModelUpload u = upload(index);
            List<CompletedPart> list = new ArrayList<>();
            int bit = 0;
            for (Map.Entry<Integer, byte[]> p : u.parts.entrySet()) {
                if ((mask & (1 << (bit++ % 8))) != 0 || fault == CompleteFault.NONE_AGAIN) {
                    list.add(new CompletedPart(p.getKey(), Etags.of(Etags.md5().digest(p.getValue())), null));
                }
            }
            if (u.state.equals("COMPLETED") && fault == CompleteFault.NONE_AGAIN) {
                list = u.completedList.stream().map(s -> {
                    String[] f = s.split(":");
                    return new CompletedPart(Integer.parseInt(f[0]), f[1], null);
                }).toList();
            }
            list = new ArrayList<>(list);
            switch (fault) {
                case SWAP_ORDER -> {
                    if (list.size() >= 2) {
                        CompletedPart first = list.remove(0);
                        list.add(first);
                    }
                }
                case BAD_ETAG -> {
                    if (!list.isEmpty()) {
                        CompletedPart p = list.get(0);
                        list.set(0, new CompletedPart(p.partNumber(), "\"00000000000000000000000000000000\"", null));
                    }
                }
                case MISSING_PART -> list.add(new CompletedPart(9999, "\"00000000000000000000000000000000\"", null));
                case EMPTY -> list.clear();
                default -> { }
            }
            List<CompletedPart> parts = List.copyOf(list);
            boolean retry = u.state.equals("COMPLETED");
            expect(() -> predictComplete(u, parts), () -> engine.completeUpload(u.bucket, u.key, u.id, parts,
                    CompleteOptions.NONE), (m, e) -> {
                        assertThat(e.etag()).isEqualTo(m.etag());
                        assertThat(e.size()).isEqualTo(m.data().length);
                        if (!retry) {
                            ModelBucket b = buckets.get(u.bucket);
                            u.completed = m.withId(b.idOf(e.versionId()));
                            b.add(u.key, u.completed);
                            remember(e.versionId());
                        }
                    });
        }

        /** The object a complete makes (or made, for a retry); the caller adds it with its version id. */
        private ModelObject predictComplete(ModelUpload u, List<CompletedPart> parts) {
            if (parts.isEmpty()) {
                throw new Refused(ErrorCode.EMPTY_PART_LIST);
            }
            if (u.id.length() != 32) {
                throw new Refused(ErrorCode.NO_SUCH_UPLOAD);
            }
            bucket(u.bucket);
            List<String> fingerprint = parts.stream().map(p -> p.partNumber() + ":" + p.etag()).toList();
            if (u.state.equals("COMPLETED")) {
                if (fingerprint.equals(u.completedList)) {
                    return u.completed;
                }
                throw new Refused(ErrorCode.NO_SUCH_UPLOAD);
            }
            if (!u.state.equals("ACTIVE")) {
                throw new Refused(ErrorCode.NO_SUCH_UPLOAD);
            }
            for (int i = 1; i < parts.size(); i++) {
                if (parts.get(i).partNumber() <= parts.get(i - 1).partNumber()) {
                    throw new Refused(ErrorCode.INVALID_PART_ORDER);
                }
            }
            List<byte[]> datas = new ArrayList<>();
            for (CompletedPart p : parts) {
                byte[] d = u.parts.get(p.partNumber());
                if (d == null || !Etags.of(Etags.md5().digest(d)).equals(p.etag())) {
                    throw new Refused(ErrorCode.INVALID_PART);
                }
                datas.add(d);
            }
            for (int i = 0; i < datas.size() - 1; i++) {
                if (datas.get(i).length < TestEngines.MIN_PART) {
                    throw new Refused(ErrorCode.ENTITY_TOO_SMALL);
                }
            }
            String etag = Etags.multipart(parts.stream().map(CompletedPart::etag).toList());
            byte[] all = datas.stream().reduce(new byte[0], (a, c) -> {
                byte[] out = Arrays.copyOf(a, a.length + c.length);
                System.arraycopy(c, 0, out, a.length, c.length);
                return out;
            });
            u.state = "COMPLETED";
            u.parts.clear();
            u.completedList = fingerprint;
            return ModelObject.of(all, etag, datas.stream().map(d -> (long) d.length).toList());
        }

        void abort(int index) {
            ModelUpload u = upload(index);
            expect(() -> {
                requireActive(u);
                u.state = "ABORTED";
                u.parts.clear();
                return true;
            }, () -> {
                engine.abortUpload(u.bucket, u.key, u.id);
                return true;
            }, (m, e) -> { });
        }

        void reopen() {
            engine.close();
            engine = open();
        }

        /** The process "dies": unsynced bytes are lost and a torn tail is left; nothing acknowledged may go. */
        void crash() {
            // a body cut off by the crash half-way: some of its pieces reached the segments, its row never
            BodyWriter<ObjectInfo> cutOff = null;
            if (!buckets.isEmpty()) {
                cutOff = engine.beginPutObject(buckets.keySet().iterator().next(), "cut-off",
                        PutOptions.of(ObjectMetadata.EMPTY, TestEngines.OWNER).withExpectedLength(5L * PIECE));
                cutOff.write(java.nio.ByteBuffer.wrap(TestEngines.bytes(7, 3 * PIECE + 100)));
            }
            try {
                io.crash();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (cutOff != null) {
                cutOff.close();
            }
            engine.close();
            io = new FaultyIo();
            engine = open();
            assertThat(engine.fsck(true).problems()).isEmpty();
        }

        void gc() {
            engine.collectGarbage();
            for (io.tessera.engine.SegmentSpace s : engine.space().values()) {
                assertThat(s.active() || s.deadBytes() == 0).as("garbage left in %s", s).isTrue();
            }
        }

        /** Live bytes on disk equal the records of live objects and open parts, exactly. */
        void checkLiveBytes() {
            long expected = 0;
            for (ModelBucket b : buckets.values()) {
                for (List<ModelObject> versions : b.versions.values()) {
                    for (ModelObject o : versions) {
                        for (long n : o.extentSizes()) {
                            expected += TestEngines.blobRecordBytes(engine.config(), n);
                        }
                    }
                }
            }
            for (ModelUpload u : uploads) {
                for (byte[] p : u.parts.values()) {
                    expected += TestEngines.blobRecordBytes(engine.config(), p.length);
                }
            }
            assertThat(TestEngines.liveBytes(engine)).isEqualTo(expected);
        }

        void close() {
            engine.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "Harness[" + dir + "]";
        }
    }
}
