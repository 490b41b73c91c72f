package io.tessera.server.it;

/** {@link MultipartContract} with the SDK's default checksum behaviour. */
class MultipartDefaultChecksumsTest extends MultipartContract {
    @Override
    boolean checksumsWhenRequired() {
        return false;
    }
}
