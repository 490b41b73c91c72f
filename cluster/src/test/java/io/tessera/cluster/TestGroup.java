package io.tessera.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A group of real in-process nodes on 127.0.0.1 for tests: free ports, a Ratis storage directory and
 * a {@link KeyValueState} directory per node under one temporary directory. A stopped node restarts
 * on the same directories, reloading its state from what it persisted.
 *
 * <p>Not thread-safe: driven by one test thread.
 */
final class TestGroup implements AutoCloseable {
    /** Generous for a loaded 2-core machine: elections here take about a second. */
    static final Duration BOUND = Duration.ofSeconds(15);

    private final Path root;
    private final List<ClusterPeer> peers = new ArrayList<>();
    private final UnaryOperator<ClusterConfig> tune;
    private final ClusterNode[] nodes;
    private final KeyValueState[] states;

    TestGroup(Path root, int size, UnaryOperator<ClusterConfig> tune) {
        this.root = root;
        this.tune = tune;
        this.nodes = new ClusterNode[size];
        this.states = new KeyValueState[size];
        for (int i = 0; i < size; i++) {
            int[] ports = freePorts(2);
            peers.add(new ClusterPeer(id(i), "127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]));
        }
    }

    /** Points node i's DataStream address at {@code port} (before any node starts): e.g. a peer that never answers. */
    void redirectStream(int i, int port) {
        ClusterPeer peer = peers.get(i);
        peers.set(i, new ClusterPeer(peer.id(), peer.address(), "127.0.0.1:" + port));
    }

    static TestGroup started(Path root, int size, UnaryOperator<ClusterConfig> tune) {
        TestGroup group = new TestGroup(root, size, tune);
        for (int i = 0; i < size; i++) {
            group.start(i);
        }
        return group;
    }

    static String id(int i) {
        return "n" + i;
    }

    static int freePort() {
        return freePorts(1)[0];
    }

    /** Distinct free ports: each socket stays open until all are taken. */
    static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        // only a probe
                    }
                }
            }
        }
    }

    ClusterConfig config(int i) {
        return tune.apply(ClusterConfig.of(id(i), peers.get(i).address(), peers, root.resolve(id(i)).resolve("raft"))
                .withRequestTimeout(BOUND));
    }

    Path stateDir(int i) {
        return root.resolve(id(i)).resolve("state");
    }

    void start(int i) {
        states[i] = new KeyValueState(stateDir(i));
        try {
            nodes[i] = ClusterNode.start(config(i), states[i]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop(int i) {
        nodes[i].close();
        nodes[i] = null;
    }

    ClusterNode node(int i) {
        return nodes[i];
    }

    KeyValueState state(int i) {
        return states[i];
    }

    int size() {
        return nodes.length;
    }

    List<ClusterPeer> peers() {
        return peers;
    }

    /** Submits a text entry on node i and waits for its answer. */
    String submit(int i, String entry) throws Exception {
        byte[] answer = nodes[i].submit(entry.getBytes(StandardCharsets.UTF_8))
                .get(BOUND.toMillis() * 2, TimeUnit.MILLISECONDS);
        return new String(answer, StandardCharsets.UTF_8);
    }

    void barrier(int i) throws Exception {
        nodes[i].readBarrier().get(BOUND.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    /** The index of the running node that leads, asked of node {@code asked}. */
    int leaderSeenBy(int asked) {
        String leader = nodes[asked].status().leaderId();
        for (int i = 0; i < nodes.length; i++) {
            if (id(i).equals(leader)) {
                return i;
            }
        }
        throw new AssertionError("node " + asked + " knows no leader: " + nodes[asked].status());
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                stop(i);
            }
        }
    }
}
