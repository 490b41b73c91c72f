package io.tessera.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The peer syntax: {@code id=host:port} (DataStream on port+1) or {@code id=host:port:streamPort}. */
class ClusterPeerTest {
    @Test
    void theStreamPortIsThePortPlusOneUnlessWritten() {
        List<ClusterPeer> peers = ClusterPeer.parseList("a=10.0.0.1:9870, b=10.0.0.2:9870:9900,c=[::1]:7000");
        assertThat(peers.get(0)).isEqualTo(new ClusterPeer("a", "10.0.0.1:9870", "10.0.0.1:9871"));
        assertThat(peers.get(1)).isEqualTo(new ClusterPeer("b", "10.0.0.2:9870", "10.0.0.2:9900"));
        assertThat(peers.get(2)).isEqualTo(new ClusterPeer("c", "[::1]:7000", "[::1]:7001"));
        assertThat(peers.get(1).streamPort()).isEqualTo(9900);
    }

    @Test
    void aPeerPrintsAsItIsWrittenAndParsesBack() {
        List<ClusterPeer> peers = ClusterPeer.parseList("a=h:1000,b=h:1000:2000");
        assertThat(peers.get(0)).hasToString("a=h:1000");
        assertThat(peers.get(1)).hasToString("b=h:1000:2000");
        for (ClusterPeer peer : peers) {
            assertThat(ClusterPeer.parseList(peer.toString())).containsExactly(peer);
        }
    }

    @Test
    void malformedPeersAreRefused() {
        for (String bad : List.of("a", "a=host", "a=host:x", "a=host:1:2:3", "a=host:65535", "=h:1", "a=h:1:70000")) {
            assertThatThrownBy(() -> ClusterPeer.parseList(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theDataStreamListenerBindsThePeerListenersHostAndItsOwnStreamPort() {
        List<ClusterPeer> peers = ClusterPeer.parseList("a=10.0.0.1:9870:9999,b=10.0.0.2:9870");
        assertThat(ClusterConfig.of("a", "0.0.0.0:9870", peers, Path.of("x")).streamListen()).isEqualTo("0.0.0.0:9999");
        assertThat(ClusterConfig.of("b", "0.0.0.0:9870", peers, Path.of("x")).streamListen()).isEqualTo("0.0.0.0:9871");
    }

    @Test
    void anExplicitStreamPortInThePeerListenAddressWinsOverThePeersEntry() {
        // a member behind a proxy: the others reach it on the proxy's ports, it binds its own
        List<ClusterPeer> peers = ClusterPeer.parseList("a=127.0.0.1:6000:6001,b=127.0.0.1:7000:7001");
        ClusterConfig behindProxy = ClusterConfig.of("a", "127.0.0.1:5000:5001", peers, Path.of("x"));
        assertThat(behindProxy.peerListenAddress()).isEqualTo("127.0.0.1:5000");
        assertThat(behindProxy.streamListen()).isEqualTo("127.0.0.1:5001");
        ClusterConfig plain = ClusterConfig.of("a", "127.0.0.1:5000", peers, Path.of("x"));
        assertThat(plain.peerListenAddress()).isEqualTo("127.0.0.1:5000");
        assertThat(plain.streamListen()).isEqualTo("127.0.0.1:6001");
        assertThat(ClusterConfig.of("a", "[::1]:5000:5001", peers, Path.of("x")).streamListen()).isEqualTo("[::1]:5001");
        assertThat(ClusterConfig.of("a", "[::1]:5000", peers, Path.of("x")).peerListenAddress()).isEqualTo("[::1]:5000");
    }
}
