package io.tessera.server.http;

/** Turns a failure into the S3 error answer for a request (an XML body, or status only for HEAD). */
@FunctionalInterface
public interface ErrorResponder {
    /**
     * @param request the request, or null when the failure came before one could be read
     * @param failure what went wrong
     */
    S3Response toResponse(S3Request request, Throwable failure);
}
