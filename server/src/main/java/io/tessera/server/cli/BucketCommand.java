package io.tessera.server.cli;

import io.tessera.server.keys.AccessKey;
import io.tessera.server.keys.Permissions;
import io.tessera.server.route.BucketNames;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera bucket allow|deny}: what a key of the key store may do on a bucket. A running node
 * picks up the changes within a second or two.
 */
@Command(name = "bucket", mixinStandardHelpOptions = true,
        description = {"Grant or revoke a key's permissions on a bucket.",
            "read: GET, HEAD and listings; write: PUT, DELETE and multipart uploads; owner: DeleteBucket.",
            "Grants belong to a bucket's life: creating a bucket starts its grants afresh (its creator gets all"
                + " three), deleting it drops them."},
        subcommands = {BucketCommand.Allow.class, BucketCommand.Deny.class})
final class BucketCommand implements Runnable {
    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options both subcommands take, and the change they make. */
    abstract static class Change implements Runnable {
        @Mixin
        private DataDirOption data;

        @Option(names = "--key", required = true, paramLabel = "KEY",
                description = "the key's id, or its name when only one key has it")
        private String key;

        @Option(names = "--read", description = "GET, HEAD, ListObjects, ListMultipartUploads, ListParts")
        private boolean read;

        @Option(names = "--write", description = "PUT, DELETE, CopyObject, multipart uploads")
        private boolean write;

        @Option(names = "--owner", description = "DeleteBucket and changes to the bucket itself")
        private boolean owner;

        @Parameters(paramLabel = "BUCKET", description = "the bucket's name")
        private String bucket;

        @Spec
        private CommandLine.Model.CommandSpec spec;

        abstract Permissions apply(Permissions held, Permissions named);

        @Override
        public void run() {
            Permissions named = new Permissions(read, write, owner);
            if (named.isNone()) {
                throw new ParameterException(spec.commandLine(), "name at least one of --read, --write, --owner");
            }
            if (!BucketNames.isValid(bucket)) {
                throw new ParameterException(spec.commandLine(), "not a valid bucket name: " + bucket
                        + " (3 to 63 lower-case letters, digits, dots and hyphens)");
            }
            AtomicReference<AccessKey> changed = new AtomicReference<>();
            data.keyFile().update(keys -> {
                AccessKey k = keys.resolve(key);
                AccessKey next = k.withPermissions(bucket, apply(k.permissions(bucket), named));
                changed.set(next);
                return keys.with(next);
            });
            AccessKey k = changed.get();
            spec.commandLine().getOut().println("Key " + k.accessKeyId() + (k.name().isEmpty() ? "" : " ("
                    + k.name() + ")") + " on bucket " + bucket + ": " + k.permissions(bucket));
            spec.commandLine().getOut().flush();
        }
    }

    /** {@code tessera bucket allow}. */
    @Command(name = "allow", mixinStandardHelpOptions = true,
            description = "Give a key permissions on a bucket (added to those it holds).")
    static final class Allow extends Change {
        @Override
        Permissions apply(Permissions held, Permissions named) {
            return held.plus(named);
        }
    }

    /** {@code tessera bucket deny}. */
    @Command(name = "deny", mixinStandardHelpOptions = true,
            description = "Take permissions on a bucket away from a key (the others it holds stay).")
    static final class Deny extends Change {
        @Override
        Permissions apply(Permissions held, Permissions named) {
            return held.minus(named);
        }
    }
}
