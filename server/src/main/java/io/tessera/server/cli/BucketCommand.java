package io.tessera.server.cli;

import io.tessera.server.admin.AdminReports.Grant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera bucket allow|deny}: what an access key may do on a bucket, changed through a node's admin
 * API (in a group, any member's) or, with {@code --data DIR} alone, on a stopped node's data directory.
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

    /** The options both subcommands take, and the change they ask for. */
    abstract static class Change extends AdminCommand {
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

        /** Whether the named permissions are added (allow) or taken away (deny). */
        abstract boolean adds();

        @Override
        int run(AdminClient client) {
            List<String> named = new ArrayList<>();
            if (read) {
                named.add("read");
            }
            if (write) {
                named.add("write");
            }
            if (owner) {
                named.add("owner");
            }
            Grant g = client.changeGrants(key, bucket, adds() ? named : List.of(), adds() ? List.of() : named);
            if (json) {
                printJson(g);
                return 0;
            }
            out().println("Key " + KeyCommand.describe(g.accessKeyId(), g.name()) + " on bucket " + g.bucket() + ": "
                    + (g.permissions().isEmpty() ? "none" : String.join(",", g.permissions())));
            out().flush();
            return 0;
        }
    }

    /** {@code tessera bucket allow}. */
    @Command(name = "allow", mixinStandardHelpOptions = true,
            description = "Give a key permissions on a bucket (added to those it holds).",
            footer = {"", AdminCommand.EXIT_CODES})
    static final class Allow extends Change {
        @Override
        boolean adds() {
            return true;
        }
    }

    /** {@code tessera bucket deny}. */
    @Command(name = "deny", mixinStandardHelpOptions = true,
            description = "Take permissions on a bucket away from a key (the others it holds stay).",
            footer = {"", AdminCommand.EXIT_CODES})
    static final class Deny extends Change {
        @Override
        boolean adds() {
            return false;
        }
    }
}
