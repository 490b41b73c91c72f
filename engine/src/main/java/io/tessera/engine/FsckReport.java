package io.tessera.engine;

import java.util.List;

/**
 * What fsck found. {@code problems} are broken invariants (a reference to a missing or damaged
 * record, a wrong live-byte count, a blob with no owner or two); {@code orphanFiles} are segment files
 * no row knows, which recovery deletes on the next open.
 */
public record FsckReport(List<String> problems, List<String> orphanFiles, long blobs, long segments,
                         long liveBytes) {
    public boolean clean() {
        return problems.isEmpty();
    }
}
