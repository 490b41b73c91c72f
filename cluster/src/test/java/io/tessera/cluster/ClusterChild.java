package io.tessera.cluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A node in a JVM of its own, for {@link ThreeProcessesTest}: {@code main(id, listen, peers, raftDir,
 * stateDir)} starts it, prints {@code READY}, then answers one line per command read from stdin:
 * {@code submit <entry>} → {@code ANSWER <answer>}, {@code barrier} → {@code OK}, {@code leader} →
 * {@code LEADER <id>}, {@code dump} → {@code STATE <applies> <applies since start> <contents>};
 * a failure is {@code FAIL <exception>}. {@code exit} closes the node. Other output lines are logs.
 */
public final class ClusterChild {
    private ClusterChild() {
    }

    public static void main(String[] args) throws Exception {
        KeyValueState state = new KeyValueState(Path.of(args[4]));
        ClusterConfig config = ClusterConfig.of(args[0], args[1], ClusterPeer.parseList(args[2]), Path.of(args[3]))
                .withRequestTimeout(Duration.ofSeconds(10))
                .withSnapshots(20, 16 * 1024, 8);
        try (ClusterNode node = ClusterNode.start(config, state)) {
            reply("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("exit"); ) {
                try {
                    reply(answer(node, state, line));
                } catch (ExecutionException e) {
                    reply("FAIL " + e.getCause());
                }
            }
        }
    }

    private static String answer(ClusterNode node, KeyValueState state, String line) throws Exception {
        if (line.startsWith("submit ")) {
            byte[] answer = node.submit(line.substring(7).getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            return "ANSWER " + new String(answer, StandardCharsets.UTF_8);
        } else if (line.equals("barrier")) {
            node.readBarrier().get(30, TimeUnit.SECONDS);
            return "OK";
        } else if (line.equals("leader")) {
            return "LEADER " + node.status().leaderId();
        } else if (line.equals("dump")) {
            return "STATE " + state.appliesInState() + " " + state.appliesThisIncarnation() + " " + state.contents();
        }
        return "FAIL unknown command " + line;
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
