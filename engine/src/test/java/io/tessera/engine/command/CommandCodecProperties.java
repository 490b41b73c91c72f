package io.tessera.engine.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.engine.AccessKeyEntry;
import io.tessera.engine.ChecksumAlgorithm;
import io.tessera.engine.ChecksumType;
import io.tessera.engine.ChecksumValue;
import io.tessera.engine.CompleteOptions;
import io.tessera.engine.CompletedPart;
import io.tessera.engine.ObjectChecksum;
import io.tessera.engine.Precondition;
import io.tessera.engine.VersioningState;
import io.tessera.engine.meta.ObjectRecord;
import io.tessera.engine.meta.PartRecord;
import io.tessera.engine.meta.UploadRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every command survives its trip through the log's bytes unchanged: what a replica applies is what
 * the node that decided it built. Records with array fields compare by their encodings.
 */
class CommandCodecProperties {

    @Property(tries = 500)
    void decodingAnEncodedCommandGivesItBack(@ForAll("commands") Command<?> command) {
        byte[] bytes = CommandCodec.encode(command);
        Command<?> back = CommandCodec.decode(bytes);
        assertThat(back.getClass()).isEqualTo(command.getClass());
        assertThat(CommandCodec.encode(back)).isEqualTo(bytes);
        assertThat(describe(back)).isEqualTo(describe(command));
    }

    /** The name read from the tag alone (what the group counts applied entries by) is the record's. */
    @Property(tries = 200)
    void theNameReadFromTheTagIsTheCommandsOwn(@ForAll("commands") Command<?> command) {
        byte[] bytes = CommandCodec.encode(command);
        assertThat(CommandCodec.name(bytes, 0)).isEqualTo(command.getClass().getSimpleName());
        byte[] behindAHeader = new byte[16 + bytes.length];
        System.arraycopy(bytes, 0, behindAHeader, 16, bytes.length);
        assertThat(CommandCodec.name(behindAHeader, 16)).isEqualTo(command.getClass().getSimpleName());
    }

    /** A record's fields, with arrays and rows shown by content (their equals is identity). */
    private static String describe(Command<?> c) {
        StringBuilder s = new StringBuilder(c.getClass().getSimpleName());
        for (var component : c.getClass().getRecordComponents()) {
            try {
                Object v = component.getAccessor().invoke(c);
                s.append('|').append(v instanceof byte[] b ? Arrays.toString(b) : v instanceof UploadRecord u
                        ? Arrays.toString(u.encode()) : String.valueOf(v));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return s.toString();
    }

    /** The access key commands: keys with documents and grants, deletes, grant changes. */
    private static Arbitrary<Command<?>> accessKeyCommands(Arbitrary<String> name) {
        Arbitrary<Integer> bits = Arbitraries.integers().between(0, 255);
        Arbitrary<AccessKeyEntry> key = Combinators.combine(name,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.maps(name, bits).ofMaxSize(4)).as((id, doc, grants) -> new AccessKeyEntry(id, doc,
                new java.util.TreeMap<>(grants)));
        return Arbitraries.oneOf(List.of(
                key.list().ofMaxSize(5).map(Command.PutAccessKeys::new),
                name.map(Command.DeleteAccessKey::new),
                Combinators.combine(name, name, bits, bits).as(Command.ChangeGrants::new)));
    }

    @Provide
    Arbitrary<Command<?>> commands() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(12).injectNull(0.1);
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10);
        Arbitrary<Long> id = Arbitraries.longs();
        Arbitrary<byte[]> uploadId = Arbitraries.bytes().array(byte[].class).ofSize(16);
        Arbitrary<Precondition> precondition = Combinators.combine(text, text,
                Arbitraries.longs().between(0, 4_000_000_000L).map(Instant::ofEpochSecond).injectNull(0.5),
                Arbitraries.longs().between(-1, 1L << 40)).as(Precondition::new);
        Arbitrary<ChecksumValue> checksum = Combinators.combine(Arbitraries.of(ChecksumAlgorithm.class), name)
                .as(ChecksumValue::new).injectNull(0.5);
        Arbitrary<ObjectRecord> row = Combinators.combine(Arbitraries.longs().between(0, 1L << 40), name,
                Arbitraries.longs().between(0, 1L << 42), id).as((size, etag, time, blob) -> new ObjectRecord(size,
                etag, time, Map.of("k", etag), "owner", null,
                List.of(new ObjectRecord.Extent(blob, size, 0, etag, null))));
        Arbitrary<PartRecord> part = Combinators.combine(id, Arbitraries.longs().between(0, 1L << 33), name,
                checksum, Arbitraries.longs().between(0, 1L << 42)).as(PartRecord::new);
        Arbitrary<List<CompletedPart>> parts = Combinators.combine(Arbitraries.integers().between(1, 10_000), name,
                checksum).as(CompletedPart::new).list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<CompleteOptions> options = Combinators.combine(precondition,
                Combinators.combine(Arbitraries.of(ChecksumAlgorithm.class), Arbitraries.of(ChecksumType.class), name,
                        Arbitraries.integers().between(0, 10_000)).as(ObjectChecksum::new).injectNull(0.5),
                Arbitraries.longs().between(-1, 1L << 40), Arbitraries.of(ChecksumType.class).injectNull(0.5))
                .as(CompleteOptions::new);
        Arbitrary<UploadRecord> upload = Combinators.combine(id, name, Arbitraries.longs().between(0, 1L << 42))
                .as((bucket, key, time) -> UploadRecord.active(bucket, key, time, "owner", Map.of("a", "b"),
                        ChecksumAlgorithm.CRC32, ChecksumType.COMPOSITE, false));
        return Arbitraries.oneOf(List.of(
                Combinators.combine(id, name, text, id).as(Command.CreateBucket::new),
                Combinators.combine(id, name, text, id, text, Arbitraries.integers().between(0, 255))
                        .as(Command.CreateBucket::new),
                accessKeyCommands(name),
                name.map(Command.DeleteBucket::new),
                Combinators.combine(name, name, Arbitraries.bytes().array(byte[].class).ofMaxSize(20).injectNull(0.3))
                        .as(Command.SetBucketConfig::new),
                Combinators.combine(name, Arbitraries.of(VersioningState.class)).as(Command.SetVersioning::new),
                Combinators.combine(name, id, text.filter(t -> t != null), row, precondition, Arbitraries.of(true, false),
                        name).as(Command.PutObject::new),
                Combinators.combine(name, id, name, precondition, id, name).as(Command.DeleteObject::new),
                Combinators.combine(name, id, name, text).as(Command.DeleteVersion::new),
                Combinators.combine(name, id, name, name, text).as(Command.SetMetadataEntry::new),
                Combinators.combine(name, id, uploadId, upload).as(Command.CreateUpload::new),
                Combinators.combine(name, id, name, uploadId, Arbitraries.integers().between(1, 10_000), part)
                        .as(Command.CommitPart::new),
                Combinators.combine(name, id, name, uploadId, parts, options, id, name)
                        .as((b, bi, k, u, p, o, now, suffix) -> new Command.CompleteUpload(b, bi, k, u, p, o, now,
                                suffix, 5L << 20)),
                Combinators.combine(name, id, name, uploadId,
                        Arbitraries.longs().between(0, 4_000_000_000L).map(Instant::ofEpochSecond).injectNull(0.5), id)
                        .as(Command.AbortUpload::new),
                uploadId.map(Command.ReclaimUpload::new),
                Combinators.combine(id, Arbitraries.integers().between(1, 1000)).as(Command.PurgeTombstones::new)));
    }
}
