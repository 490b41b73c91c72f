package io.tessera.server.cli;

import io.tessera.server.admin.AdminReports.CreatedKey;
import io.tessera.server.admin.AdminReports.KeyInfo;
import io.tessera.server.admin.AdminReports.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera key create|list|delete}: the access keys of a node, through its admin API (in a group,
 * any member's: keys are the group's replicated state) or, with {@code --data DIR} alone, on the data
 * directory of a stopped node on its own. Either way each change is one command of the replicated state.
 */
@Command(name = "key", mixinStandardHelpOptions = true,
        description = {"Manage the access keys of a node (in a group: of the whole group).",
            "The admin key given to serve is not among them: it may do everything on every bucket."},
        subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Delete.class})
final class KeyCommand implements Runnable {
    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** How a key is named in messages: its id, and its name when it has one. */
    static String describe(String id, String name) {
        return id + (name.isEmpty() ? "" : " (" + name + ")");
    }

    /** {@code tessera key create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an access key with no permissions; prints its id and secret, the secret only now.",
            footer = {"", AdminCommand.EXIT_CODES})
    static final class Create extends AdminCommand {
        @Option(names = "--name", paramLabel = "NAME", description = "a label for the key (default: none)")
        private String name = "";

        @Option(names = "--owner-name", paramLabel = "NAME",
                description = "display name of the key's owner in listings (default: the name, else the key id)")
        private String ownerName;

        @Override
        int run(AdminClient client) {
            CreatedKey made = client.createKey(name, ownerName);
            if (json) {
                printJson(made);
                return 0;
            }
            KeyInfo k = made.key();
            out().println("Created key " + describe(k.accessKeyId(), k.name()) + " (" + client.describe() + ")");
            out().println("  access key: " + k.accessKeyId());
            out().println("  secret key: " + made.secretKey());
            out().println("The secret is not shown again. The key may do nothing yet: tessera bucket allow --key "
                    + k.accessKeyId() + " --read --write BUCKET");
            out().flush();
            return 0;
        }
    }

    /** {@code tessera key list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the access keys and their permissions by bucket (never their secrets).",
            footer = {"", AdminCommand.EXIT_CODES})
    static final class ListKeys extends AdminCommand {
        @Override
        int run(AdminClient client) {
            Keys keys = client.keys();
            if (json) {
                printJson(keys);
                return 0;
            }
            if (keys.keys().isEmpty()) {
                out().println("No keys " + client.describe() + " (tessera key create adds one).");
                out().flush();
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"KEY", "NAME", "CREATED", "BUCKETS"});
            for (KeyInfo k : keys.keys()) {
                List<String> grants = new ArrayList<>();
                for (Map.Entry<String, List<String>> b : k.buckets().entrySet()) {
                    grants.add(b.getKey() + ":" + String.join(",", b.getValue()));
                }
                rows.add(new String[] {k.accessKeyId(), k.name().isEmpty() ? "-" : k.name(), k.created(),
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
                out().println(line.append(r[3]));
            }
            out().flush();
            return 0;
        }
    }

    /** {@code tessera key delete}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an access key; requests signed with it are refused from then on.",
            footer = {"", AdminCommand.EXIT_CODES})
    static final class Delete extends AdminCommand {
        @Parameters(paramLabel = "KEY", description = "the key's id, or its name when only one key has it")
        private String key;

        @Override
        int run(AdminClient client) {
            KeyInfo k = client.deleteKey(key);
            if (json) {
                printJson(k);
                return 0;
            }
            out().println("Deleted key " + describe(k.accessKeyId(), k.name()));
            out().flush();
            return 0;
        }
    }
}
