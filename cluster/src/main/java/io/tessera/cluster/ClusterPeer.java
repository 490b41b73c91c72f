package io.tessera.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One member of a group: its id, the host:port its peers reach it on for the log, and the host:port of
 * its DataStream listener (the bytes channel beside the log, see {@link ClusterNode#sendBytes}).
 *
 * <p>Written {@code id=host:port} (the DataStream port is then port+1) or {@code id=host:port:streamPort}.
 * The DataStream listener is on the same host as the peer listener.
 *
 * <p>Immutable.
 *
 * @param id            the node id, unique in the group
 * @param address       host:port of its peer listener
 * @param streamAddress host:port of its DataStream listener
 */
public record ClusterPeer(String id, String address, String streamAddress) {
    public ClusterPeer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(streamAddress, "streamAddress");
        if (id.isBlank() || address.indexOf(':') < 0 || streamAddress.indexOf(':') < 0) {
            throw new IllegalArgumentException("a peer is id=host:port[:streamPort], not " + id + "=" + address);
        }
    }

    /**
     * A peer from {@code host:port} (DataStream on port+1) or {@code host:port:streamPort}; an IPv6 host
     * is written in brackets.
     */
    public ClusterPeer(String id, String address) {
        this(id, hostPort(id, address), streamAddressOf(id, address));
    }

    /** Parses {@code id=host:port[:streamPort],...} (the {@code --peers} option). */
    public static List<ClusterPeer> parseList(String text) {
        List<ClusterPeer> peers = new ArrayList<>();
        for (String item : text.split(",")) {
            String trimmed = item.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a peer is id=host:port[:streamPort], not '" + trimmed + "'");
            }
            peers.add(new ClusterPeer(trimmed.substring(0, eq), trimmed.substring(eq + 1)));
        }
        return List.copyOf(peers);
    }

    /** The port of the DataStream listener. */
    public int streamPort() {
        return port(id, streamAddress);
    }

    @Override
    public String toString() {
        String host = host(address);
        boolean derived = host.equals(host(streamAddress)) && streamPort() == port(id, address) + 1;
        return id + "=" + address + (derived ? "" : ":" + streamPort());
    }

    /** Host, port and stream port (or null) of {@code host:port[:streamPort]}. */
    private static String[] split(String id, String text) {
        int hostEnd = text.startsWith("[") ? text.indexOf(']') + 1 : text.indexOf(':');
        if (hostEnd <= 0 || hostEnd >= text.length() || text.charAt(hostEnd) != ':') {
            throw new IllegalArgumentException("a peer is id=host:port[:streamPort], not " + id + "=" + text);
        }
        String[] ports = text.substring(hostEnd + 1).split(":", -1);
        if (ports.length > 2) {
            throw new IllegalArgumentException("a peer is id=host:port[:streamPort], not " + id + "=" + text);
        }
        return new String[] {text.substring(0, hostEnd), ports[0], ports.length == 2 ? ports[1] : null};
    }

    private static String hostPort(String id, String text) {
        String[] parts = split(id, text);
        return parts[0] + ":" + checkedPort(id, text, parts[1]);
    }

    private static String streamAddressOf(String id, String text) {
        String[] parts = split(id, text);
        int port = checkedPort(id, text, parts[1]);
        int stream = checkedPort(id, text, parts[2] == null ? Integer.toString(port + 1) : parts[2]);
        return parts[0] + ":" + stream;
    }

    private static int checkedPort(String id, String text, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad port '" + port + "' in peer " + id + "=" + text);
    }

    private static String host(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    private static int port(String id, String hostPort) {
        return checkedPort(id, hostPort, hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
