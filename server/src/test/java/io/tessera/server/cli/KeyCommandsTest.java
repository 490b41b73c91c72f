package io.tessera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.keys.Access;
import io.tessera.server.keys.AccessKey;
import io.tessera.engine.Engine;
import io.tessera.engine.EngineConfig;
import io.tessera.engine.GcPolicy;
import io.tessera.server.keys.KeyStore;
import io.tessera.server.keys.KeySet;
import io.tessera.server.keys.Permissions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tessera key} and {@code tessera bucket}, run in-process offline on a temporary data directory
 * (the engine opened by the command); through a running node's admin API they are exercised by the
 * permission and group tests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyCommandsTest {
    private static final Pattern SECRET_LINE = Pattern.compile("secret key: (\\S+)");
    private static final Pattern KEY_LINE = Pattern.compile("access key: (\\S+)");

    @TempDir
    Path dir;

    /** What one command printed and returned. */
    record Run(int exitCode, String out, String err) {
        String keyId() {
            Matcher m = KEY_LINE.matcher(out);
            assertThat(m.find()).as(out).isTrue();
            return m.group(1);
        }

        String secret() {
            Matcher m = SECRET_LINE.matcher(out);
            assertThat(m.find()).as(out).isTrue();
            return m.group(1);
        }
    }

    /** Runs {@code tessera args...}, with {@code --data} appended when {@code data} is not null. */
    static Run tessera(Path data, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (data != null) {
            all.add("--data");
            all.add(data.toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        int code = cmd.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** A data directory no node runs on, where the commands open the engine themselves. */
    @BeforeEach
    void makeDataDirectory() {
        Engine.open(EngineConfig.defaults(dir).withGc(GcPolicy.MANUAL)).close();
    }

    /** The keys of the replicated state, read with the engine opened afresh. */
    private KeySet stored() {
        try (Engine e = Engine.open(EngineConfig.defaults(dir).withGc(GcPolicy.MANUAL))) {
            return new KeyStore(e).list();
        }
    }

    @Test
    void createPrintsTheSecretOnceAndListNever() throws Exception {
        Run created = tessera(dir, "key", "create", "--name", "backup");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String id = created.keyId();
        String secret = created.secret();
        assertThat(id).matches("TSR[A-Z2-7]{17}");
        assertThat(secret).hasSize(40);

        AccessKey k = stored().resolve(id);
        assertThat(k.secretKey()).isEqualTo(secret);
        assertThat(k.name()).isEqualTo("backup");
        assertThat(k.ownerDisplayName()).isEqualTo("backup");
        assertThat(k.ownerId()).matches("[0-9a-f]{64}");
        assertThat(k.buckets()).isEmpty();
        assertThat(dir.resolve("keys.json")).as("no key file is written").doesNotExist();

        Run list = tessera(dir, "key", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains(id, "backup", k.created().toString()).doesNotContain(secret);
    }

    @Test
    void allowAndDenyEditTheGrants() {
        String id = tessera(dir, "key", "create").keyId();
        Run allow = tessera(dir, "bucket", "allow", "--key", id, "--read", "--write", "photos");
        assertThat(allow.exitCode()).as(allow.err()).isZero();
        assertThat(allow.out()).contains("on bucket photos: read,write");
        assertThat(stored().resolve(id).permissions("photos")).isEqualTo(new Permissions(true, true, false));

        assertThat(tessera(dir, "bucket", "allow", "--key", id, "--owner", "photos").exitCode()).isZero();
        assertThat(stored().resolve(id).permissions("photos")).isEqualTo(Permissions.ALL);

        Run deny = tessera(dir, "bucket", "deny", "--key", id, "--write", "--owner", "photos");
        assertThat(deny.exitCode()).isZero();
        assertThat(stored().resolve(id).permissions("photos")).isEqualTo(Permissions.of(Access.READ));
        assertThat(tessera(dir, "key", "list").out()).contains("photos:read");

        assertThat(tessera(dir, "bucket", "deny", "--key", id, "--read", "photos").exitCode()).isZero();
        assertThat(stored().resolve(id).buckets()).isEmpty();
    }

    @Test
    void keysAreFoundByNameWhenItIsUnique() {
        String a = tessera(dir, "key", "create", "--name", "alice").keyId();
        tessera(dir, "key", "create", "--name", "twin");
        tessera(dir, "key", "create", "--name", "twin");
        assertThat(tessera(dir, "bucket", "allow", "--key", "alice", "--read", "bkt").exitCode()).isZero();
        assertThat(stored().resolve(a).permissions("bkt").read()).isTrue();

        Run ambiguous = tessera(dir, "key", "delete", "twin");
        assertThat(ambiguous.exitCode()).isEqualTo(2);
        assertThat(ambiguous.err()).isEqualTo("tessera key delete: 2 keys are named twin; give its id"
                + System.lineSeparator());
        assertThat(stored().size()).isEqualTo(3);

        Run deleted = tessera(dir, "key", "delete", "alice");
        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).contains("Deleted key " + a);
        assertThat(stored().find(a)).isEmpty();
        assertThat(stored().size()).isEqualTo(2);
    }

    @Test
    void mistakesAreRefusedWithoutChangingTheFile() throws Exception {
        String id = tessera(dir, "key", "create").keyId();
        KeySet before = stored();

        Run unknown = tessera(dir, "bucket", "allow", "--key", "NOSUCHKEY", "--read", "bkt");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("tessera bucket allow: no key with id or name NOSUCHKEY"
                + System.lineSeparator());

        Run noFlag = tessera(dir, "bucket", "allow", "--key", id, "bkt");
        assertThat(noFlag.exitCode()).isEqualTo(2);
        assertThat(noFlag.err()).contains("name at least one of --read, --write, --owner");

        Run badName = tessera(dir, "bucket", "allow", "--key", id, "--read", "Not_A_Bucket");
        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(badName.err()).contains("not a valid bucket name: Not_A_Bucket");

        assertThat(tessera(dir, "key", "delete", "NOSUCHKEY").exitCode()).isEqualTo(2);
        assertThat(stored()).isEqualTo(before);

        Path missing = dir.resolve("typo");
        Run noDir = tessera(missing, "key", "create");
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.err()).startsWith("tessera key create: " + missing + " is not a Tessera data directory");
        assertThat(missing).doesNotExist();
    }

    @Test
    void anEmptyStoreSaysHowToAddAKey() {
        Run list = tessera(dir, "key", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("No keys offline on " + dir).contains("tessera key create");
    }

    @Test
    void aGroupMembersDirectoryIsChangedOnlyThroughARunningMember() throws Exception {
        Files.createDirectories(dir.resolve("group"));
        Run refused = tessera(dir, "key", "create");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("belongs to a member of a group", "--endpoint");
        assertThat(stored().size()).isZero();
        assertThat(tessera(dir, "key", "list").exitCode()).as("reading is fine").isZero();
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : List.of(new String[] {"key"}, new String[] {"key", "create"},
                new String[] {"key", "list"}, new String[] {"key", "delete"}, new String[] {"bucket"},
                new String[] {"bucket", "allow"}, new String[] {"bucket", "deny"})) {
            List<String> args = new ArrayList<>(List.of(command));
            args.add("--help");
            Run help = tessera(null, args.toArray(String[]::new));
            assertThat(help.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(help.out()).startsWith("Usage: tessera " + String.join(" ", command));
            if (command.length == 2) {
                assertThat(help.out()).contains("--data=DIR");
            }
        }
        assertThat(tessera(null, "bucket", "allow", "--help").out()).contains("--read", "--write", "--owner",
                "--key=KEY", "BUCKET");
        assertThat(tessera(null, "--help").out()).contains("key", "bucket", "serve");
    }
}
