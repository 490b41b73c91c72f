package io.tessera.server.cli;

import io.tessera.server.keys.AccessKey;
import io.tessera.server.keys.KeyFile;
import io.tessera.server.keys.KeyMaterial;
import io.tessera.server.keys.KeySet;
import io.tessera.server.keys.Permissions;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera key create|list|delete}: the access keys of a data directory's key store. A running
 * node picks up the changes within a second or two.
 */
@Command(name = "key", mixinStandardHelpOptions = true,
        description = {"Manage the access keys in the data directory's key store (keys.json).",
            "The admin key given to serve is not among them: it may do everything on every bucket."},
        subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Delete.class})
final class KeyCommand implements Runnable {
    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code tessera key create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an access key with no permissions; prints its id and secret, the secret only now.")
    static final class Create implements Runnable {
        @Mixin
        private DataDirOption data;

        @Option(names = "--name", paramLabel = "NAME", description = "a label for the key (default: none)")
        private String name = "";

        @Option(names = "--owner-name", paramLabel = "NAME",
                description = "display name of the key's owner in listings (default: the name, else the key id)")
        private String ownerName;

        @Spec
        private CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            KeyFile file = data.keyFile();
            AtomicReference<AccessKey> made = new AtomicReference<>();
            file.update(keys -> {
                String id = KeyMaterial.newAccessKeyId();
                while (keys.find(id).isPresent()) {
                    id = KeyMaterial.newAccessKeyId();
                }
                String display = ownerName != null ? ownerName : name.isEmpty() ? id : name;
                AccessKey k = AccessKey.create(id, KeyMaterial.newSecret(), name, KeyMaterial.ownerIdFor(id), display,
                        Instant.now().truncatedTo(ChronoUnit.SECONDS));
                made.set(k);
                return keys.with(k);
            });
            AccessKey k = made.get();
            PrintWriter out = spec.commandLine().getOut();
            out.println("Created key " + k.accessKeyId() + (k.name().isEmpty() ? "" : " (" + k.name() + ")")
                    + " in " + file.path());
            out.println("  access key: " + k.accessKeyId());
            out.println("  secret key: " + k.secretKey());
            out.println("The secret is not shown again. The key may do nothing yet: tessera bucket allow --key "
                    + k.accessKeyId() + " --read --write BUCKET");
            out.flush();
        }
    }

    /** {@code tessera key list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the access keys and their permissions by bucket (never their secrets).")
    static final class ListKeys implements Runnable {
        @Mixin
        private DataDirOption data;

        @Spec
        private CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            KeyFile file = data.keyFile();
            KeySet keys = file.read();
            PrintWriter out = spec.commandLine().getOut();
            if (keys.size() == 0) {
                out.println("No keys in " + file.path() + " (tessera key create adds one).");
                out.flush();
                return;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"KEY", "NAME", "CREATED", "BUCKETS"});
            for (AccessKey k : keys.keys()) {
                List<String> grants = new ArrayList<>();
                for (Map.Entry<String, Permissions> b : k.buckets().entrySet()) {
                    grants.add(b.getKey() + ":" + b.getValue());
                }
                rows.add(new String[] {k.accessKeyId(), k.name().isEmpty() ? "-" : k.name(), k.created().toString(),
                    grants.isEmpty() ? "-" : String.join(" ", grants)});
            }
            int[] width = new int[3];
            for (String[] r : rows) {
                for (int i = 0; i < width.length; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < width.length; i++) {
                    line.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
                }
                out.println(line.append(r[3]));
            }
            out.flush();
        }
    }

    /** {@code tessera key delete}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an access key; requests signed with it are refused from then on.")
    static final class Delete implements Runnable {
        @Mixin
        private DataDirOption data;

        @Parameters(paramLabel = "KEY", description = "the key's id, or its name when only one key has it")
        private String key;

        @Spec
        private CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            AtomicReference<AccessKey> gone = new AtomicReference<>();
            data.keyFile().update(keys -> {
                AccessKey k = keys.resolve(key);
                gone.set(k);
                return keys.without(k.accessKeyId());
            });
            AccessKey k = gone.get();
            spec.commandLine().getOut().println("Deleted key " + k.accessKeyId()
                    + (k.name().isEmpty() ? "" : " (" + k.name() + ")"));
            spec.commandLine().getOut().flush();
        }
    }
}
