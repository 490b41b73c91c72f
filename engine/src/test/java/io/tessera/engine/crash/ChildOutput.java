package io.tessera.engine.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines a child workload prints, read on a thread of their own so that the parent can wait for
 * the next one with a bound, and ask a stalled child for a thread dump (SIGQUIT makes the JVM print
 * one to the same stdout).
 *
 * <p>Not thread-safe: one consumer.
 */
final class ChildOutput {
    /** Returned by {@link #next} once the child's stdout is closed. */
    static final String END = new String("end of output");

    private final Process child;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    ChildOutput(Process child) {
        this.child = child;
        Thread reader = new Thread(this::pump, "child-output-" + child.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("ERROR reading the child's output: " + e);
        } finally {
            lines.add(END);
        }
    }

    /** The next line, {@link #END}, or null if none came within {@code bound}. */
    String next(Duration bound) throws InterruptedException {
        return lines.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the stalled child (by its pid) for a thread dump and returns what it printed within a few seconds. */
    String dump() throws InterruptedException, IOException {
        new ProcessBuilder("kill", "-QUIT", Long.toString(child.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        StringBuilder out = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int kept = 0;
        for (String line; (line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null
                && line != END; ) {
            if (kept++ < 400) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
