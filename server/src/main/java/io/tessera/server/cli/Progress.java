package io.tessera.server.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long admin command: a progress bar (on standard error) when a person watches a
 * terminal, plain lines on the command's error stream otherwise (logs, pipes, tests). A task of unknown
 * length (a gc or fsck, which report only when done) shows a bar with the time elapsed, or one line.
 *
 * <p>Not thread-safe: one command drives it.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private final PrintWriter plain;
    private final String task;

    private Progress(ProgressBar bar, PrintWriter plain, String task) {
        this.bar = bar;
        this.plain = plain;
        this.task = task;
    }

    /** Whether a person watches: standard input and output are a terminal. */
    static boolean terminal() {
        return System.console() != null;
    }

    /**
     * Starts showing {@code task}.
     *
     * @param max   the number of steps, or -1 when unknown
     * @param plain where plain lines go when no terminal is attached
     */
    static Progress start(String task, long max, PrintWriter plain, boolean terminal) {
        if (terminal) {
            ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate();
            if (max < 0) {
                b.clearDisplayOnFinish(); // a bar that only ever showed the time elapsed says nothing once done
            }
            return new Progress(b.build(), null, task);
        }
        plain.println(task + (max < 0 ? ": running" : ": 0/" + max));
        plain.flush();
        return new Progress(null, plain, task);
    }

    /** {@code done} of {@code max} steps are done. */
    void stepTo(long done, long max) {
        if (bar != null) {
            bar.maxHint(max);
            bar.stepTo(done);
        } else {
            plain.println(task + ": " + done + "/" + max);
            plain.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
