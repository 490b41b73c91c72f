package io.tessera.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The space guard's arithmetic against a file system whose free space the test sets. */
class DiskSpaceTest {
    private static final long MIB = 1L << 20;

    private final AtomicLong free = new AtomicLong(100 * MIB);
    private final AtomicInteger looks = new AtomicInteger();
    private final DiskSpace space = new DiskSpace(() -> {
        looks.incrementAndGet();
        return free.get();
    }, 10 * MIB);

    @Test
    void writesLeaveTheReserveAndCompactionHalfOfIt() throws Exception {
        for (int i = 0; i < 90; i++) {
            space.claim(MIB, false);
            free.addAndGet(-MIB); // the bytes land on the disk
        }
        assertThatThrownBy(() -> space.claim(1, false)).isInstanceOf(NoSpaceException.class)
                .hasMessageStartingWith(DiskErrors.NO_SPACE).hasMessageContaining("10.0 MiB kept free for metadata");
        space.requireRoom(0, false); // exactly the reserve is left
        assertThatThrownBy(() -> space.requireRoom(1, false)).isInstanceOf(NoSpaceException.class);
        assertThat(space.hasRoom(5 * MIB, true)).isTrue();
        assertThat(space.hasRoom(5 * MIB + 1, true)).isFalse();
        space.claim(5 * MIB, true);
        free.addAndGet(-5 * MIB);
        assertThatThrownBy(() -> space.claim(1, true)).isInstanceOf(NoSpaceException.class);
    }

    @Test
    void spaceFreedElsewhereIsSeenWhenAClaimWouldNotFit() throws Exception {
        free.set(12 * MIB); // the last look still says 100 MiB
        assertThatThrownBy(() -> space.requireRoom(95 * MIB, false)).isInstanceOf(NoSpaceException.class);
        assertThatThrownBy(() -> space.requireRoom(3 * MIB, false)).isInstanceOf(NoSpaceException.class);
        space.requireRoom(2 * MIB, false);
        free.set(50 * MIB); // a collection deleted segments
        space.requireRoom(40 * MIB, false);
        space.requireRoom(MIB, false);
        space.claim(MIB, false);
    }

    @Test
    void theFileSystemIsLookedAtAgainAfterEnoughClaims() throws Exception {
        int before = looks.get();
        for (long claimed = 0; claimed < DiskSpace.RECHECK_BYTES; claimed += 64 << 10) {
            space.claim(64 << 10, false);
        }
        assertThat(looks.get()).isEqualTo(before);
        free.set(10 * MIB); // another program filled the disk meanwhile
        assertThatThrownBy(() -> space.claim(64 << 10, false)).isInstanceOf(NoSpaceException.class);
        assertThat(looks.get()).isEqualTo(before + 1);
    }

    @Test
    void aFailedWriteOnANearlyFullDiskIsNoSpaceWhateverItsMessageAndTheNextClaimLooksAgain() throws Exception {
        space.claim(MIB, false); // the cached look says 100 MiB
        free.set(100 << 10);
        IOException localized = new IOException("Auf dem Gerät ist kein Speicherplatz mehr verfügbar");
        IOException explained = space.explain(localized);
        assertThat(explained).isInstanceOf(NoSpaceException.class).hasCause(localized);
        assertThat(DiskErrors.isNoSpace(explained)).isTrue();
        assertThatThrownBy(() -> space.claim(1, false)).isInstanceOf(NoSpaceException.class);

        free.set(100 * MIB);
        IOException other = new IOException("Input/output error");
        assertThat(space.explain(other)).isSameAs(other);
        assertThat(DiskErrors.isNoSpace(other)).isFalse();
    }
}
