package io.portcullis.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.Consumer;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.ConduitWritableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;

/**
 * A response body sink that takes everything written to it without passing it on (keeping the first bytes for the
 * log) and, once its writer ends the body, sends a replacement instead. Never blocks: the replacement goes out as
 * {@link #flush} is called, which the writer repeats until it returns true, as for any body.
 */
final class SwallowingSinkConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {
    private final ByteBuffer replacement;
    private final int keep;
    private final ByteArrayOutputStream kept;
    private final Consumer<byte[]> whenDone;
    private boolean ended;
    private boolean nextTerminated;

    /** @param whenDone given the kept bytes once, when the body ends */
    SwallowingSinkConduit(StreamSinkConduit next, ByteBuffer replacement, int keep, Consumer<byte[]> whenDone) {
        super(next);
        this.replacement = replacement;
        this.keep = keep;
        this.kept = new ByteArrayOutputStream(Math.min(keep, 512));
        this.whenDone = whenDone;
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        int room = keep - kept.size();
        if (room > 0) {
            byte[] some = new byte[Math.min(room, n)];
            src.get(some);
            kept.write(some, 0, some.length);
        }
        src.position(src.limit());
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offs, int len) {
        long n = 0;
        for (int i = offs; i < offs + len; i++) {
            n += write(srcs[i]);
        }
        return n;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return Conduits.writeFinalBasic(this, src);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
        return Conduits.writeFinalBasic(this, srcs, offs, len);
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) throws IOException {
        return src.transferTo(position, count, new ConduitWritableByteChannel(this));
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
        return Conduits.transfer(source, count, throughBuffer, this);
    }

    @Override
    public void terminateWrites() throws IOException {
        if (!ended) {
            ended = true;
            whenDone.accept(kept.toByteArray());
        }
    }

    @Override
    public void truncateWrites() throws IOException {
        terminateWrites();
        next.truncateWrites();
    }

    @Override
    public boolean flush() throws IOException {
        if (!ended) {
            return next.flush();
        }
        while (replacement.hasRemaining()) {
            if (next.write(replacement) == 0) {
                return false;
            }
        }
        if (!nextTerminated) {
            nextTerminated = true;
            next.terminateWrites();
        }
        return next.flush();
    }

    @Override
    public boolean isWriteShutdown() {
        return ended;
    }
}
