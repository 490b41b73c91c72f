package io.tessera.server.netty;

import io.netty.channel.DefaultFileRegion;
import io.tessera.engine.FileSlice;

/**
 * A {@link io.netty.channel.FileRegion} over an engine {@link FileSlice} that never closes the
 * slice's channel: the engine owns it and keeps it open until the {@code ObjectContent} is closed.
 * Netty's own {@link DefaultFileRegion} closes its channel when released, so this class overrides
 * exactly that. It extends {@link DefaultFileRegion} rather than implementing
 * {@link io.netty.channel.FileRegion} from scratch because the epoll transport uses native
 * {@code sendfile(2)} only for {@link DefaultFileRegion} instances (other regions are copied through
 * a buffer); NIO sends both with {@code FileChannel.transferTo}, which is sendfile too.
 */
final class SliceRegion extends DefaultFileRegion {
    SliceRegion(FileSlice slice) {
        super(slice.channel(), slice.position(), slice.length());
    }

    @Override
    protected void deallocate() {
        // The channel belongs to the engine: it is closed with the ObjectContent, not here.
    }
}
