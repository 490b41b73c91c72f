package io.tessera.server.it;

/** {@link ObjectOperationsContract} with the SDK's default checksum behaviour (aws-chunked, CRC32 trailers). */
class ObjectOperationsDefaultChecksumsTest extends ObjectOperationsContract {
    @Override
    boolean checksumsWhenRequired() {
        return false;
    }
}
