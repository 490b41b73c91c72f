package io.tessera.server.group;

import io.tessera.cluster.ReplicatedState;
import io.tessera.engine.GroupMember;
import java.nio.file.Path;

/**
 * The engine as the state its group replicates: the group's log applies entries to it through the
 * engine's one apply. Entries answer nothing through the log: the member that submitted one answers its
 * request from its own apply of it.
 *
 * <p>Called by the group's one state thread.
 */
final class EngineState implements ReplicatedState {
    private static final byte[] NO_ANSWER = new byte[0];

    private final GroupMember member;

    EngineState(GroupMember member) {
        this.member = member;
    }

    @Override
    public long appliedIndex() {
        return member.appliedIndex();
    }

    @Override
    public byte[] apply(long index, byte[] entry) {
        member.apply(index, entry);
        return NO_ANSWER;
    }

    @Override
    public long persist() {
        return member.persist();
    }

    @Override
    public long checkpoint(Path dir) {
        throw new UnsupportedOperationException("catch-up by snapshot is not built yet: followers replay the log");
    }

    @Override
    public void install(Path dir) {
        throw new UnsupportedOperationException("catch-up by snapshot is not built yet: followers replay the log");
    }
}
