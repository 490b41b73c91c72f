package io.tessera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tessera serve --admin-listen}, {@code --console}, {@code --console-sample} and {@code --access-log}: the
 * settings they give, and bad values
 * (or a taken admin address) refused with one line before a node runs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeOpsOptionsTest {
    @TempDir
    Path dir;

    private record Run(int code, String err) {
    }

    private Run serve(String... extra) {
        String[] args = new String[extra.length + 7];
        System.arraycopy(new String[] {"serve", "--data", dir.resolve("data").toString(), "--listen", "127.0.0.1:0",
            "--access-key", "AKIDOPS"}, 0, args, 0, 7);
        System.arraycopy(extra, 0, args, 7, extra.length);
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        return new Run(cmd.execute(args), err.toString());
    }

    @Test
    void theOptionsAndTheConfigFileGiveTheSettings() {
        OpsOptions none = new OpsOptions();
        new CommandLine(none).parseArgs();
        var defaults = none.config(new Properties());
        assertThat(defaults.adminListen()).isEqualTo(new InetSocketAddress("127.0.0.1", 9001));
        assertThat(defaults.accessLog().name()).isEqualTo("TEXT");

        Properties file = new Properties();
        file.setProperty("admin-listen", "off");
        file.setProperty("access-log", "json");
        var fromFile = none.config(file);
        assertThat(fromFile.adminListen()).isNull();
        assertThat(fromFile.accessLog().name()).isEqualTo("JSON");

        OpsOptions flags = new OpsOptions();
        new CommandLine(flags).parseArgs("--admin-listen", "[::1]:9101", "--access-log", "off");
        var fromFlags = flags.config(file);
        assertThat(fromFlags.adminListen()).isEqualTo(new InetSocketAddress("::1", 9101));
        assertThat(fromFlags.accessLog().name()).isEqualTo("OFF");
    }

    @Test
    void theConsoleIsOnByDefaultAndItsSamplingIsSet() {
        OpsOptions none = new OpsOptions();
        new CommandLine(none).parseArgs();
        var defaults = none.config(new Properties()).console();
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.sampleInterval()).isEqualTo(Duration.ofSeconds(10));

        Properties file = new Properties();
        file.setProperty("console", "off");
        file.setProperty("console-sample", "1m");
        var fromFile = none.config(file).console();
        assertThat(fromFile.enabled()).isFalse();
        assertThat(fromFile.sampleInterval()).isEqualTo(Duration.ofMinutes(1));

        OpsOptions flags = new OpsOptions();
        new CommandLine(flags).parseArgs("--console", "on", "--console-sample", "30s");
        var fromFlags = flags.config(file).console();
        assertThat(fromFlags.enabled()).isTrue();
        assertThat(fromFlags.sampleInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void badValuesAreRefusedInOneLine() {
        Run admin = serve("--secret-key", "s", "--admin-listen", "nowhere");
        assertThat(admin.code()).isEqualTo(2);
        assertThat(admin.err()).isEqualTo("tessera serve: --admin-listen must be host:port or off, got nowhere"
                + System.lineSeparator());
        Run console = serve("--secret-key", "s", "--console", "maybe");
        assertThat(console.code()).isEqualTo(2);
        assertThat(console.err()).contains("--console must be on or off, got maybe");
        Run sample = serve("--secret-key", "s", "--console-sample", "0s");
        assertThat(sample.code()).isEqualTo(2);
        assertThat(sample.err()).contains("the console's sample interval must be at least 50 ms");
        Run log = serve("--secret-key", "s", "--access-log", "xml");
        assertThat(log.code()).isEqualTo(2);
        assertThat(log.err()).contains("the access log format is off, text or json, not xml");
    }

    @Test
    void aTakenAdminAddressIsRefusedBeforeTheEngineOpens() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run run = serve("--secret-key", "s", "--admin-listen", "127.0.0.1:" + taken.getLocalPort());
            assertThat(run.code()).isEqualTo(2);
            assertThat(run.err()).startsWith("tessera serve: the admin listener cannot bind 127.0.0.1:"
                    + taken.getLocalPort()).contains("off disables it");
            assertThat(dir.resolve("data").resolve("meta")).doesNotExist();
        }
    }
}
