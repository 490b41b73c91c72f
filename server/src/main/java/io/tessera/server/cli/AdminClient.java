package io.tessera.server.cli;

import io.tessera.server.admin.AdminReports.Abort;
import io.tessera.server.admin.AdminReports.Cluster;
import io.tessera.server.admin.AdminReports.CreatedKey;
import io.tessera.server.admin.AdminReports.Fsck;
import io.tessera.server.admin.AdminReports.Gc;
import io.tessera.server.admin.AdminReports.Grant;
import io.tessera.server.admin.AdminReports.KeyInfo;
import io.tessera.server.admin.AdminReports.Keys;
import io.tessera.server.admin.AdminReports.Replace;
import io.tessera.server.admin.AdminReports.SpaceReport;
import io.tessera.server.admin.AdminReports.Status;
import io.tessera.server.admin.AdminReports.Uploads;
import java.util.List;

/**
 * What the admin commands ask, answered by a running node over its admin API ({@link RemoteAdmin}) or
 * by an engine the command opens itself on a data directory no node holds ({@link LocalAdmin}). Both
 * answer the same documents. Calls block; failures are {@link AdminException}s.
 */
interface AdminClient extends AutoCloseable {
    /** Who answers, for messages: {@code node at http://…} or {@code offline on DIR}. */
    String describe();

    Status status();

    SpaceReport space(String bucket);

    Uploads uploads(Cutoff cutoff, String bucket, int limit);

    Abort abortUploads(Cutoff cutoff, String bucket, int limit, boolean dryRun);

    Gc gc();

    Fsck fsck(boolean bodies);

    /** The node's view of its group; refused for a node on its own. */
    Cluster cluster();

    /** Replaces the group's member {@code deadId} by {@code newId} at {@code newAddress} (host:port). */
    Replace replaceMember(String deadId, String newId, String newAddress);

    /** The access keys and their grants (never a secret). */
    Keys keys();

    /** Creates an access key with no permissions; {@code ownerName} null: the name, else the key id. */
    CreatedKey createKey(String name, String ownerName);

    /** Deletes the key whose id, or else whose unique name, is {@code key}. */
    KeyInfo deleteKey(String key);

    /** Adds {@code allow} and removes {@code deny} (among read, write, owner) from a key's grant on a bucket. */
    Grant changeGrants(String key, String bucket, List<String> allow, List<String> deny);

    @Override
    void close();
}
