package io.portcullis.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AsyncLineWriterTest {
    @Test
    void aBlockedOutputNeverBlocksTheLoggerLinesAreDroppedAndCountedInstead() throws Exception {
        CountDownLatch unblock = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    unblock.await(); // a pipe nobody reads
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (written) {
                    written.write(b, off, len);
                }
            }
        };
        AsyncLineWriter log = new AsyncLineWriter(new PrintStream(stuck, false, StandardCharsets.UTF_8), 100);
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            log.accept("line " + i);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(millis < 2000, "10,000 lines took " + millis + " ms against a blocked output");
        assertTrue(log.dropped() >= 10_000 - 100 - 256, "dropped " + log.dropped());
        unblock.countDown();
        log.close();
        long lines = written.toString(StandardCharsets.UTF_8).lines().count();
        assertEquals(10_000 - log.dropped(), lines, "every line not counted as dropped was written");
    }

    @Test
    void underNormalLoadNoLineIsLostAndCloseWritesTheRest() {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        AsyncLineWriter log = new AsyncLineWriter(new PrintStream(written, false, StandardCharsets.UTF_8));
        for (int i = 0; i < 5_000; i++) {
            log.accept("line " + i);
        }
        log.close();

        assertEquals(0, log.dropped());
        assertEquals(5_000, written.toString(StandardCharsets.UTF_8).lines().count());
    }
}
