package io.tessera.server.observe;

import io.tessera.server.http.S3Exchange;
import io.tessera.server.http.S3Service;
import java.util.List;

/**
 * Wraps the S3 service so that every request is measured: bytes received and sent, time to the last
 * byte of the answer, status and S3 error code, and what the S3 layers learned (key, operation,
 * bucket, object key). Each finished request goes to the listeners (metrics, access log).
 *
 * <p>Thread-safe.
 */
public final class ObservedService implements S3Service {
    private final S3Service delegate;
    private final List<RequestListener> listeners;

    public ObservedService(S3Service delegate, List<RequestListener> listeners) {
        this.delegate = delegate;
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onRequest(S3Exchange exchange) {
        delegate.onRequest(new ObservedExchange(exchange, this));
    }

    void completed(RequestRecord r) {
        for (RequestListener l : listeners) {
            l.completed(r);
        }
    }
}
