package io.tessera.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One member of a group: its id and the host:port its peers reach it on.
 *
 * @param id      the node id, unique in the group
 * @param address host:port of its peer listener
 */
public record ClusterPeer(String id, String address) {
    public ClusterPeer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        if (id.isBlank() || address.indexOf(':') < 0) {
            throw new IllegalArgumentException("a peer is id=host:port, not " + id + "=" + address);
        }
    }

    /** Parses {@code id=host:port,id=host:port,...} (the {@code --peers} option). */
    public static List<ClusterPeer> parseList(String text) {
        List<ClusterPeer> peers = new ArrayList<>();
        for (String item : text.split(",")) {
            String trimmed = item.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a peer is id=host:port, not '" + trimmed + "'");
            }
            peers.add(new ClusterPeer(trimmed.substring(0, eq), trimmed.substring(eq + 1)));
        }
        return List.copyOf(peers);
    }

    @Override
    public String toString() {
        return id + "=" + address;
    }
}
