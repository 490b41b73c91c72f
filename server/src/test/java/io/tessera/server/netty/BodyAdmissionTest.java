package io.tessera.server.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of {@link BodyAdmission}: bounds, the order of the queue, small bodies and clients' shares. */
class BodyAdmissionTest {
    private static final long MIB = 1 << 20;

    private final List<BodyAdmission.Ticket> granted = new ArrayList<>();

    private static BodyAdmission.Request large(String client) {
        return new BodyAdmission.Request(client, 4 * MIB, false);
    }

    private static BodyAdmission.Request small(String client) {
        return new BodyAdmission.Request(client, 64 * 1024, true);
    }

    private BodyAdmission.Outcome ask(BodyAdmission a, BodyAdmission.Request r) {
        return a.request(r, granted::add);
    }

    @Test
    void oneClientPastItsShareIsRefusedWhileOthersAreAdmitted() {
        BodyAdmission a = new BodyAdmission(8, 64 * MIB, 8, 25); // a client: 2 bodies, 16 MiB, 2 waiting places
        assertThat(ask(a, large("hog")).ticket()).isNotNull();
        assertThat(ask(a, large("hog")).ticket()).isNotNull();
        BodyAdmission.Outcome third = ask(a, large("hog"));
        assertThat(third.queued()).as("past its share, it may wait in its share of the queue").isNotNull();
        assertThat(ask(a, large("hog")).queued()).isNotNull();
        assertThat(ask(a, large("hog")).refused()).as("past its share of the queue too").isTrue();
        assertThat(a.refusedForShare()).isEqualTo(1);

        BodyAdmission.Outcome other = ask(a, large("other"));
        assertThat(other.ticket()).as("another client is not held up by the hog's waiters").isNotNull();
        assertThat(a.admitted()).isEqualTo(3);
        assertThat(a.waiting()).isEqualTo(2);
    }

    @Test
    void memoryShareBindsToo() {
        BodyAdmission a = new BodyAdmission(100, 40 * MIB, 0, 25); // 10 MiB a client, no queue
        assertThat(ask(a, large("c")).ticket()).isNotNull();
        assertThat(ask(a, large("c")).ticket()).isNotNull();
        assertThat(ask(a, large("c")).refused()).as("12 MiB would pass the 10 MiB share").isTrue();
        assertThat(ask(a, large("d")).ticket()).isNotNull();
    }

    @Test
    void aWaiterPastItsShareIsAdmittedWhenItsOwnBodyEnds() {
        BodyAdmission a = new BodyAdmission(8, 64 * MIB, 8, 25);
        BodyAdmission.Ticket first = ask(a, large("hog")).ticket();
        ask(a, large("hog"));
        BodyAdmission.Outcome waiting = ask(a, large("hog"));
        assertThat(waiting.queued()).isNotNull();
        assertThat(granted).isEmpty();
        first.release();
        assertThat(granted).as("the hog's waiter takes the room its own body gave back").hasSize(1);
        assertThat(a.waiting()).isZero();
    }

    @Test
    void smallBodiesNeedMemoryAloneAndPassWaitingLargeOnes() {
        BodyAdmission a = new BodyAdmission(2, 64 * MIB, 8, 100);
        ask(a, large("a"));
        ask(a, large("b"));
        BodyAdmission.Outcome waitingLarge = ask(a, large("c"));
        assertThat(waitingLarge.queued()).as("the count is full").isNotNull();
        for (int i = 0; i < 10; i++) {
            assertThat(ask(a, small("s" + i)).ticket()).as("a small body is not counted, nor queued behind").isNotNull();
        }
        assertThat(a.admitted()).isEqualTo(12);
        assertThat(a.admittedBytes()).isEqualTo(8 * MIB + 10 * 64 * 1024);
    }

    @Test
    void largeWaitersWithinTheirShareKeepTheirTurn() {
        BodyAdmission a = new BodyAdmission(1, 64 * MIB, 8, 100);
        BodyAdmission.Ticket running = ask(a, large("a")).ticket();
        assertThat(ask(a, large("b")).queued()).isNotNull();
        assertThat(ask(a, large("c")).queued()).isNotNull();
        running.release();
        assertThat(granted).hasSize(1);
        assertThat(a.waiting()).isEqualTo(1);
        BodyAdmission.Outcome late = ask(a, large("d"));
        assertThat(late.queued()).as("a newcomer does not pass a waiter").isNotNull();
    }

    @Test
    void aBodyAloneIsAlwaysAdmittedAndEverythingComesBackToZero() {
        BodyAdmission a = new BodyAdmission(4, MIB, 4, 25);
        BodyAdmission.Ticket huge = ask(a, new BodyAdmission.Request("c", 100 * MIB, false)).ticket();
        assertThat(huge).as("alone on the node, whatever it reserves").isNotNull();
        BodyAdmission.Outcome queued = ask(a, large("d"));
        assertThat(queued.queued()).isNotNull();
        assertThat(queued.queued().cancel()).isTrue();
        huge.release();
        huge.release(); // idempotent
        assertThat(a.admitted()).isZero();
        assertThat(a.admittedBytes()).isZero();
        assertThat(a.waiting()).isZero();
        assertThat(a.clients()).as("no client is remembered once it holds nothing").isZero();
    }
}
