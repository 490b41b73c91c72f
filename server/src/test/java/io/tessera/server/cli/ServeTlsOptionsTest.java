package io.tessera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.tls.TestCertificates;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tessera serve} with TLS files it cannot use fails at once, before the engine opens or a first
 * start's key pair is generated, with one line that names the file and the fix: no stack trace, the
 * exit code of invalid input. (Without --access-key, so that a generated key pair would show.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeTlsOptionsTest {
    @TempDir
    Path dir;

    /** Exit code and standard error of {@code tessera serve} with these extra arguments. */
    private record Run(int exitCode, String err) {
    }

    private Run serve(String... tlsArgs) {
        List<String> args = new ArrayList<>(List.of("serve", "--data", dir.resolve("data").toString(),
                "--listen", "127.0.0.1:0"));
        args.addAll(List.of(tlsArgs));
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        int code = cmd.execute(args.toArray(String[]::new));
        return new Run(code, err.toString());
    }

    @Test
    void aMissingCertificateFileIsNamed() throws Exception {
        TestCertificates.Issued issued = TestCertificates.selfSigned(dir, "node", "EC");
        Path missing = dir.resolve("missing.crt");
        Run run = serve("--tls-cert", missing.toString(), "--tls-key", issued.keyFile().toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("tessera serve: TLS certificate chain " + missing + ": no such file"
                + System.lineSeparator());
        assertThat(engineFiles()).isEmpty();
    }

    @Test
    void aKeyInTheLegacyFormatGetsTheConversionCommand() throws Exception {
        TestCertificates.Issued issued = TestCertificates.selfSigned(dir, "node", "RSA");
        Path legacy = Files.writeString(dir.resolve("legacy.key"),
                TestCertificates.legacyPem(issued.keys().getPrivate()));
        Run run = serve("--tls-cert", issued.certificateFile().toString(), "--tls-key", legacy.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("tessera serve: TLS private key " + legacy)
                .contains("openssl pkcs8 -topk8 -nocrypt -in " + legacy)
                .doesNotContain("\tat ");
        assertThat(engineFiles()).isEmpty();
    }

    @Test
    void aCertificateWithoutItsKeyIsAUsageError() {
        TestCertificates.Issued issued = TestCertificates.selfSigned(dir, "node", "EC");
        Run run = serve("--tls-cert", issued.certificateFile().toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("HTTPS needs both --tls-cert and --tls-key (only --tls-cert was given)");
        assertThat(engineFiles()).isEmpty();
    }

    /** What the engine or the key pair generation would have created in the data directory. */
    private List<Path> engineFiles() {
        Path data = dir.resolve("data");
        if (!Files.exists(data)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(data)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
