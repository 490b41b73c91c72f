package io.tessera.engine.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stress test's judgement of a NO_SUCH_UPLOAD: a race while another task completes or aborts the
 * upload or after one did, a loss otherwise, and a loss is reported once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UploadClosingTest {
    /**
     * The interleaving that reported a loss that did not happen: an abort began and committed, a part
     * was refused with NO_SUCH_UPLOAD, and its task judged the refusal while the abort's task recorded
     * its end. Here the abort's task records its end in the middle of the judgement (when the judge
     * counts the closers at work); the judge must still see the abort, at work or done.
     */
    @Test
    void aRefusalJudgedWhileTheAbortThatCausedItRecordsItsEndIsARace() throws Exception {
        Thread[] abortEnds = new Thread[1];
        UploadClosing closing = new UploadClosing() {
            @Override
            int closersAtWork() {
                if (abortEnds[0] == null) {
                    abortEnds[0] = new Thread(() -> closeEnded(true), "abort-ends");
                    abortEnds[0].start();
                    awaitBlockedOrEnded(abortEnds[0]);
                }
                return super.closersAtWork();
            }
        };
        closing.closeStarting(); // the abort begins; it commits, and the part is refused
        boolean lost = closing.refusalIsLoss(false);
        abortEnds[0].join(TimeUnit.SECONDS.toMillis(10));

        assertThat(lost).as("a NO_SUCH_UPLOAD judged while the abort that caused it records its end is a loss")
                .isFalse();
        assertThat(abortEnds[0].isAlive()).as("the abort's task recorded its end").isFalse();
        assertThat(closing.closed()).isTrue();
    }

    @Test
    void aLossIsReportedOnceAndClosesTheUpload() {
        UploadClosing closing = new UploadClosing();
        assertThat(closing.refusalIsLoss(false)).as("nobody closed it: the refusal is a loss").isTrue();
        assertThat(closing.closed()).as("a lost upload counts as closed").isTrue();
        assertThat(closing.refusalIsLoss(false)).as("the next refusal is not reported again").isFalse();
    }

    @Test
    void aRefusalWhileAnotherTaskClosesIsARaceButNotAfterItFailed() {
        UploadClosing closing = new UploadClosing();
        closing.closeStarting();
        assertThat(closing.refusalIsLoss(false)).as("a part refused while a complete is at work").isFalse();
        assertThat(closing.refusalIsLoss(true)).as("the closer at work is the one refused").isTrue();
        closing = new UploadClosing();
        closing.closeStarting();
        closing.closeEnded(false);
        assertThat(closing.refusalIsLoss(false)).as("refused after the only close failed").isTrue();
        closing = new UploadClosing();
        closing.closeStarting();
        closing.closeStarting();
        assertThat(closing.refusalIsLoss(true)).as("a complete refused while an abort is at work").isFalse();
    }

    /** Waits (bounded) until {@code t} has ended or waits for a monitor. */
    private static void awaitBlockedOrEnded(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.BLOCKED && t.getState() != Thread.State.TERMINATED) {
            if (System.nanoTime() > deadline) {
                fail("the abort's task neither ended nor waited within 10 s; it is " + t.getState());
            }
            Thread.yield();
        }
    }
}
