package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.testing.TestGate;
import io.portcullis.testing.TestTlsEngine;
import io.portcullis.testing.WireMockGate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every BoringSSL engine holds a native SSL object outside the heap until it is released; a connection that ends
 * without its release would leak native memory with each attacker's connection. Whatever way a connection ends
 * (normally, reset before, during or after the handshake, refused at its handshake, cut by the handshake or
 * keep-alive timeout), portcullis_tls_native_engines must come back to zero once the connections are gone.
 */
class NativeTlsEngineReleaseTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Pattern GAUGE = Pattern.compile("(?m)^(portcullis_\\w+) ([0-9.]+)$");

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate upstream = new WireMockGate();
    TestGate gate;

    @Test
    void everyWayAConnectionEndsReleasesItsNativeEngine() throws Exception {
        assumeTrue(TestTlsEngine.expected().equals("boringssl"), "native engines only exist with BoringSSL");
        gate = upstream.gate(dir, Map.of("tls-handshake-timeout", "1s", "keepalive-timeout", "1s"));

        // a whole request, then the client closes
        try (SSLSocket tls = handshaken()) {
            assertEquals(1.0, gauge("portcullis_tls_native_engines"), "the open connection holds one engine");
            request(tls);
        }
        // connected, nothing sent, closed
        new Socket("127.0.0.1", gate.port()).close();
        // half a ClientHello, then a reset
        try (Socket half = new Socket("127.0.0.1", gate.port())) {
            half.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});
            half.getOutputStream().flush();
            half.setSoLinger(true, 0);
        }
        // after the handshake, a reset
        try (SSLSocket reset = handshaken()) {
            reset.setSoLinger(true, 0);
        }
        // refused at the handshake: plain HTTP on the TLS port
        try (Socket plain = new Socket("127.0.0.1", gate.port())) {
            plain.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            plain.getOutputStream().flush();
            readUntilClosed(plain);
        }
        // no ClientHello: closed by the gate at the handshake timeout
        try (Socket silent = new Socket("127.0.0.1", gate.port())) {
            readUntilClosed(silent);
        }
        // idle after a request: closed by the gate at the keep-alive timeout
        try (SSLSocket idle = handshaken()) {
            request(idle);
            readUntilClosed(idle);
        }

        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while ((gauge("portcullis_connections_open") > 0 || gauge("portcullis_tls_native_engines") > 0)
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(50_000_000L); // polling interval
        }
        assertEquals(0.0, gauge("portcullis_connections_open"), "every connection is gone");
        assertEquals(0.0, gauge("portcullis_tls_native_engines"), "every native engine was released");
    }

    private SSLSocket handshaken() throws Exception {
        SSLSocket socket = (SSLSocket) gate.clientTls().getSocketFactory().createSocket("127.0.0.1", gate.port());
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return socket;
    }

    /** GET /livez and read its whole (small) answer. */
    private static void request(SSLSocket tls) throws IOException {
        OutputStream out = tls.getOutputStream();
        out.write("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] buffer = new byte[4096];
        int n = tls.getInputStream().read(buffer);
        assertTrue(n > 0 && new String(buffer, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"),
                "an answer to /livez");
    }

    private static void readUntilClosed(Socket socket) throws IOException {
        socket.setSoTimeout((int) PATIENCE.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // discard: an alert or an answer
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the gate did not close the connection within " + PATIENCE, e);
        } catch (IOException reset) {
            // closed with a reset: closed all the same
        }
    }

    private double gauge(String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        gate.gate.metrics().scrape(out);
        Matcher m = GAUGE.matcher(out.toString(StandardCharsets.UTF_8));
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError(name + " is not in /metrics");
    }
}
