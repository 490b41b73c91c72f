package io.tessera.engine.bucket;

import io.tessera.engine.AccessKeyEntry;
import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.command.Command;
import io.tessera.engine.meta.AccessKeyTable;
import io.tessera.engine.meta.MetaBatch;
import io.tessera.engine.meta.MetaTables;
import java.util.Map;

/**
 * The apply of the access key commands: keys and their grants by bucket are replicated state like
 * buckets, so every member verifies the same keys. Values (ids, secrets, bits) come in the command; apply
 * only reads the state to decide. Grants of a bucket's life (start on create, drop on delete) are
 * {@link Buckets}'.
 *
 * <p>Not thread-safe: the {@code apply} methods belong to the applying thread.
 */
public final class AccessKeyCommands {
    private final MetaTables tables;

    public AccessKeyCommands(MetaTables tables) {
        this.tables = tables;
    }

    public Void apply(MetaBatch batch, Command.PutAccessKeys c) {
        AccessKeyTable keys = tables.accessKeys();
        for (AccessKeyEntry k : c.keys()) {
            if (keys.get(k.accessKeyId()) != null) {
                keys.dropGrantsOf(batch, k.accessKeyId());
            }
            keys.put(batch, k.accessKeyId(), k.document());
            for (Map.Entry<String, Integer> g : k.grants().entrySet()) {
                keys.putGrant(batch, g.getKey(), k.accessKeyId(), g.getValue());
            }
        }
        return null;
    }

    public Void apply(MetaBatch batch, Command.DeleteAccessKey c) {
        AccessKeyTable keys = tables.accessKeys();
        require(c.accessKeyId());
        keys.dropGrantsOf(batch, c.accessKeyId());
        keys.delete(batch, c.accessKeyId());
        return null;
    }

    public Integer apply(MetaBatch batch, Command.ChangeGrants c) {
        AccessKeyTable keys = tables.accessKeys();
        require(c.accessKeyId());
        int before = keys.grant(c.bucket(), c.accessKeyId());
        int after = (before | c.add()) & ~c.remove();
        if (after != before) {
            keys.putGrant(batch, c.bucket(), c.accessKeyId(), after);
        }
        return after;
    }

    private void require(String accessKeyId) {
        if (tables.accessKeys().get(accessKeyId) == null) {
            throw new EngineException(ErrorCode.NO_SUCH_KEY, "no access key " + accessKeyId);
        }
    }
}
