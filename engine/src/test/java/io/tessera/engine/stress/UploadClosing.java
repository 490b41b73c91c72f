package io.tessera.engine.stress;

/**
 * Who is finishing an upload of a stress run (completing or aborting it) and whether one of them
 * succeeded, so that a NO_SUCH_UPLOAD can be told from a loss: it is a race while another task is at
 * work on the upload or once one succeeded, and a loss otherwise. Both facts live under one monitor
 * and are judged together: read one after the other, a judge could see the upload still open and
 * then no closer at work, when an abort that had already committed recorded its end in between, and
 * report a loss that did not happen. A loss, once reported, closes the upload, so that the next
 * refusal is not reported again.
 *
 * <p>Thread-safe.
 */
class UploadClosing {
    private int closers;
    private boolean closed;

    /** A task starts completing or aborting the upload. */
    synchronized void closeStarting() {
        closers++;
    }

    /** That task ended; {@code succeeded}: the upload is closed for good. */
    synchronized void closeEnded(boolean succeeded) {
        closed |= succeeded;
        closers--;
    }

    /** A task succeeded in closing it, or it was reported lost. */
    synchronized boolean closed() {
        return closed;
    }

    /**
     * Judges a NO_SUCH_UPLOAD: true, once, when no other task's close explains it (the asker's own close,
     * if {@code askerIsClosing}, does not); the upload then counts as closed.
     */
    synchronized boolean refusalIsLoss(boolean askerIsClosing) {
        if (closed || closersAtWork() > (askerIsClosing ? 1 : 0)) {
            return false;
        }
        closed = true;
        return true;
    }

    /** The tasks completing or aborting the upload right now; called under the monitor (tests step in here). */
    int closersAtWork() {
        return closers;
    }
}
