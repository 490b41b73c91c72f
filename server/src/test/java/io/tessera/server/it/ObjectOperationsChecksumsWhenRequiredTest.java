package io.tessera.server.it;

/** {@link ObjectOperationsContract} with {@code requestChecksumCalculation(WHEN_REQUIRED)}. */
class ObjectOperationsChecksumsWhenRequiredTest extends ObjectOperationsContract {
    @Override
    boolean checksumsWhenRequired() {
        return true;
    }
}
