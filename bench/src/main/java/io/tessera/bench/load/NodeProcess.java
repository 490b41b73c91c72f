package io.tessera.bench.load;

import io.tessera.bench.BenchJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Tessera node in its own JVM, started from the fat jar the way an operator starts it
 * ({@code java -jar tessera.jar serve ...}), or from a class path, on a fresh data directory, so that
 * its CPU and memory accounting is its own. Its output goes to {@code node.log} beside the data directory. {@link #close()} stops it
 * by its PID (SIGTERM, then SIGKILL after a grace period) and deletes the data directory unless asked
 * to keep it.
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (https?://[^\\s]+)");

    private final Process process;
    private final URI endpoint;
    private final Path dataDir;
    private final Path log;
    private final boolean keepData;

    private NodeProcess(Process process, URI endpoint, Path dataDir, Path log, boolean keepData) {
        this.process = process;
        this.endpoint = endpoint;
        this.dataDir = dataDir;
        this.log = log;
        this.keepData = keepData;
    }

    /**
     * Starts a node and waits until it accepts requests.
     *
     * @param jar      {@code server/target/tessera.jar}
     * @param runDir   a fresh directory on the disk under test: {@code data/} and {@code node.log} go there
     * @param heap     -Xms and -Xmx (pre-sized and pre-touched, so first-touch page faults do not land
     *                 in a measurement)
     * @param jvmOpts  more JVM options (a flight recording, for instance)
     * @param serveArgs more {@code serve} options ({@code --tls-cert} and {@code --tls-key}, for instance)
     */
    static NodeProcess start(Path jar, Path runDir, String heap, List<String> jvmOpts, List<String> serveArgs,
                             String accessKey, String secretKey, boolean keepData) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " not found: build it with `mvn -q -DskipTests package`");
        }
        return launch(List.of("-jar", jar.toString()), runDir, heap, jvmOpts, serveArgs, accessKey, secretKey,
                keepData);
    }

    /**
     * Starts a node from a class path holding the server and its dependencies (compiled classes, no fat
     * jar needed), with the JVM flags the jar's manifest would give ({@link BenchJvm#TESSERA_FLAGS}).
     */
    static NodeProcess startFromClassPath(String classPath, Path runDir, String heap, List<String> jvmOpts,
                                          List<String> serveArgs, String accessKey, String secretKey, boolean keepData)
            throws IOException {
        List<String> program = new ArrayList<>(BenchJvm.TESSERA_FLAGS);
        program.addAll(List.of("-cp", classPath, "io.tessera.server.cli.Main"));
        return launch(program, runDir, heap, jvmOpts, serveArgs, accessKey, secretKey, keepData);
    }

    private static NodeProcess launch(List<String> program, Path runDir, String heap, List<String> jvmOpts,
                                      List<String> serveArgs, String accessKey, String secretKey, boolean keepData)
            throws IOException {
        Path data = runDir.resolve("data");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xms" + heap);
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+AlwaysPreTouch");
        cmd.addAll(jvmOpts);
        cmd.addAll(program);
        cmd.addAll(List.of("serve", "--data", data.toString(), "--listen", "127.0.0.1:0",
                "--admin-listen", "off", "--access-key", accessKey, "--secret-key", secretKey));
        cmd.addAll(serveArgs);
        Path log = runDir.resolve("node.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> copyOutput(p, log, endpoint), "node-output");
        reader.setDaemon(true);
        reader.start();
        try {
            URI uri = endpoint.get(90, TimeUnit.SECONDS);
            return new NodeProcess(p, uri, data, log, keepData);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("the node did not start; see " + log, e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the node", e);
        }
    }

    private static void copyOutput(Process p, Path log, CompletableFuture<URI> endpoint) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = r.readLine()) != null) {
                w.println(line);
                Matcher m = LISTENING.matcher(line);
                if (!endpoint.isDone() && m.find()) {
                    endpoint.complete(URI.create(m.group(1)));
                }
            }
        } catch (IOException e) {
            endpoint.completeExceptionally(e);
        }
        endpoint.completeExceptionally(new IllegalStateException("node exited with " + exitCode(p)));
    }

    private static String exitCode(Process p) {
        try {
            return Integer.toString(p.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    URI endpoint() {
        return endpoint;
    }

    /** The data directory the node was started on. */
    Path dataDir() {
        return dataDir;
    }

    /** The first line the node has printed so far that starts with {@code prefix}, if any. */
    Optional<String> printed(String prefix) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        ProcessHandle h = process.toHandle();
        h.destroy(); // SIGTERM to this PID: the node shuts down gracefully
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                h.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            h.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (!keepData) {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
