package io.tessera.engine.upload;

import io.tessera.engine.EngineException;
import io.tessera.engine.ErrorCode;
import io.tessera.engine.meta.PartTable;

/** The S3 multipart limits; the minimum part size is configurable so tests can use small parts. */
public record UploadLimits(long minPartSize, long maxPartSize) {
    public static final int MAX_PART_NUMBER = PartTable.MAX_PART_NUMBER;

    public void checkPartNumber(int partNumber) {
        if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
            throw new EngineException(ErrorCode.INVALID_ARGUMENT,
                    "Part number must be an integer between 1 and 10000, inclusive");
        }
    }
}
