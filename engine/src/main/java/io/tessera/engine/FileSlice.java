package io.tessera.engine;

import java.nio.channels.FileChannel;

/**
 * A verified run of object bytes inside a segment file, for zero-copy sends
 * ({@code channel.transferTo(position, length, target)}). The channel belongs to the engine: never
 * close it. It stays open until the {@link ObjectContent} that produced the slice is closed.
 */
public record FileSlice(FileChannel channel, long position, long length) {
}
