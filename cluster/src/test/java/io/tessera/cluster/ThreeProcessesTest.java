package io.tessera.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three nodes in three JVMs on loopback; the leader is killed with SIGKILL and comes back. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ThreeProcessesTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<ClusterPeer> peers = new ArrayList<>();
    private final Child[] children = new Child[3];

    @AfterEach
    void stopChildren() {
        for (Child child : children) {
            if (child != null) {
                child.process.destroyForcibly();
            }
        }
    }

    @Test
    void aLeaderKilledWithSigkillLosesNothingAndCatchesUpAfterRestart() throws Exception {
        for (int i = 0; i < 3; i++) {
            int[] ports = TestGroup.freePorts(2);
            peers.add(new ClusterPeer(TestGroup.id(i), "127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]));
        }
        for (int i = 0; i < 3; i++) {
            children[i] = start(i);
        }
        for (int i = 0; i < 30; i++) {
            assertThat(children[i % 3].ask("submit incr c")).isEqualTo("ANSWER " + (i + 1));
        }
        String leaderLine = children[0].ask("leader");
        int leader = Integer.parseInt(leaderLine.substring("LEADER n".length()));

        children[leader].process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        children[leader] = null;
        int a = (leader + 1) % 3;
        int b = (leader + 2) % 3;
        for (int i = 30; i < 60; i++) {
            assertThat(children[i % 2 == 0 ? a : b].ask("submit incr c")).isEqualTo("ANSWER " + (i + 1));
        }

        children[leader] = start(leader);
        for (Child child : children) {
            assertThat(child.ask("barrier")).isEqualTo("OK");
        }
        String[] dumps = new String[3];
        for (int i = 0; i < 3; i++) {
            dumps[i] = children[i].ask("dump");
        }
        String[] restarted = dumps[leader].split(" ", 4);
        assertThat(restarted[1]).as("applies in the restarted node's state").isEqualTo("60");
        // It skipped what its state had persisted before the kill (a snapshot every 20 entries).
        assertThat(Long.parseLong(restarted[2])).as("applies since its restart").isLessThan(60 - 19);
        for (int i = 0; i < 3; i++) {
            assertThat(dumps[i].split(" ", 4)[3]).isEqualTo("{c=60}");
            assertThat(dumps[i].split(" ", 4)[1]).isEqualTo("60");
        }
        for (Child child : children) {
            child.exit();
        }
    }

    private Child start(int i) throws IOException, InterruptedException {
        String peerList = peers.stream().map(ClusterPeer::toString).collect(Collectors.joining(","));
        Path home = dir.resolve(TestGroup.id(i));
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-XX:+Ignore")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), ClusterChild.class.getName(),
                TestGroup.id(i), peers.get(i).address(), peerList, home.resolve("raft").toString(),
                home.resolve("state").toString()));
        Child child = new Child(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        assertThat(child.next()).as("child %d starting", i).isEqualTo("READY");
        return child;
    }

    /** One child JVM: its protocol lines (logs filtered out) read on a thread of their own. */
    private static final class Child {
        private static final String END = "END OF OUTPUT";
        final Process process;
        private final Writer in;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Child(Process process) {
            this.process = process;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::pump, "child-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        private void pump() {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.matches("^(READY|ANSWER|OK|LEADER|STATE|FAIL)\\b.*")) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                lines.add("FAIL reading the child's output: " + e);
            } finally {
                lines.add(END);
            }
        }

        String next() throws InterruptedException {
            String line = lines.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            return line == null ? "no answer within " + BOUND : line;
        }

        String ask(String command) throws IOException, InterruptedException {
            in.write(command + "\n");
            in.flush();
            return next();
        }

        void exit() throws IOException, InterruptedException {
            in.write("exit\n");
            in.flush();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child exits").isTrue();
        }
    }
}
