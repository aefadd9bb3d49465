package io.portcullis.observe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Counts request body bytes as they are read. Undertow only knows a declared Content-Length, and layer uploads
 * are usually chunked PATCHes without one, so "bytes in" has to be measured where the body flows.
 * Also how the proxy's stall watchdog sees an upload moving. The transfer shortcuts are routed through {@link #read} so no byte escapes the count.
 */
public final class CountingSourceConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
    private final BodyBytes counter;

    public CountingSourceConduit(StreamSourceConduit next, BodyBytes counter) {
        super(next);
        this.counter = counter;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = next.read(dst);
        if (n > 0) {
            counter.add(n);
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        long n = next.read(dsts, offs, len);
        if (n > 0) {
            counter.add(n);
        }
        return n;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return Conduits.transfer(this, count, throughBuffer, target);
    }

    /** The running count of one exchange. Read and written by one thread at a time, but not always the same one. */
    public static final class BodyBytes {
        private volatile long bytes;

        void add(long n) {
            bytes += n; // single writer at any moment: the thread that reads the request body
        }

        public long get() {
            return bytes;
        }
    }
}
