package io.tessera.server.it;

/** {@link MultipartContract} with {@code requestChecksumCalculation(WHEN_REQUIRED)}. */
class MultipartChecksumsWhenRequiredTest extends MultipartContract {
    @Override
    boolean checksumsWhenRequired() {
        return true;
    }
}
