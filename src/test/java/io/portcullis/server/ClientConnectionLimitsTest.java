package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Slow, silent and too many client connections are closed; the limits show in /metrics. */
class ClientConnectionLimitsTest {
    /** How long a test waits for the gate to close a connection; every timeout under test is far shorter. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate upstream = new WireMockGate();
    TestGate gate;

    private final List<Socket> open = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket s : open) {
            s.close();
        }
    }

    @Test
    void aConnectionThatNeverSendsAClientHelloIsClosedAfterTheHandshakeTimeout() throws Exception {
        gate = upstream.gate(dir, Map.of("tls-handshake-timeout", "1s", "keepalive-timeout", "60s"));
        try (Socket plain = new Socket("127.0.0.1", gate.port())) {
            long millis = millisUntilClosed(plain, () -> { });
            assertTrue(millis >= 900 && millis < 5000, "closed after " + millis + " ms");
        }
    }

    @Test
    void aRequestHeadTricklingInIsCutAtTheHeaderTimeoutWhateverArrives() throws Exception {
        gate = upstream.gate(dir, Map.of("header-timeout", "2s"));
        SSLSocket tls = handshaken("127.0.0.1");
        tls.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        long millis = millisUntilClosed(tls, () -> {
            tls.getOutputStream().write('X'); // one more header byte every read timeout: never a whole head
            tls.getOutputStream().flush();
        });
        assertTrue(millis >= 1900 && millis < 8000, "closed after " + millis + " ms");
    }

    @Test
    void anIdleConnectionIsClosedAfterTheKeepAliveTimeout() throws Exception {
        gate = upstream.gate(dir, Map.of("keepalive-timeout", "1s"));
        SSLSocket tls = handshaken("127.0.0.1");
        tls.getOutputStream().write(("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        tls.getOutputStream().flush();
        long millis = millisUntilClosed(tls, () -> { });
        assertTrue(millis >= 900 && millis < 6000, "closed after " + millis + " ms");
    }

    @Test
    void connectionsPastThePerAddressCapAreClosedAndCounted() throws Exception {
        gate = upstream.gate(dir, Map.of("max-connections-per-address", "3", "max-connections", "5"));
        for (int i = 0; i < 3; i++) {
            handshaken("127.0.0.1");
        }

        assertThrows(IOException.class, () -> handshaken("127.0.0.1"), "a fourth connection from the same address");
        handshaken("127.0.0.2"); // another address has its own allowance
        handshaken("127.0.0.3");
        assertThrows(IOException.class, () -> handshaken("127.0.0.4"), "a sixth connection in total");

        String metrics = scrape();
        assertTrue(metrics.contains("portcullis_connections_refused_total{limit=\"address\"} 1.0"), metrics);
        assertTrue(metrics.contains("portcullis_connections_refused_total{limit=\"total\"} 1.0"), metrics);
        assertTrue(metrics.contains("portcullis_connections_open 5.0"), metrics);

        open.remove(0).close();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!scrape().contains("portcullis_connections_open 4.0") && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // polling interval
        }
        handshaken("127.0.0.1"); // a closed connection gives its place back
    }

    private String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        gate.gate.metrics().scrape(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private SSLSocket handshaken(String localAddress) throws Exception {
        SSLSocket socket = (SSLSocket) gate.clientTls().getSocketFactory().createSocket();
        open.add(socket);
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", gate.port()), 5000);
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return socket;
    }

    interface Step {
        void run() throws IOException;
    }

    /** Reads (discarding any response) until the gate closes the connection, doing {@code meanwhile} every 200 ms. */
    private static long millisUntilClosed(Socket socket, Step meanwhile) throws IOException {
        long start = System.nanoTime();
        long deadline = start + PATIENCE.toNanos();
        socket.setSoTimeout(200);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (System.nanoTime() < deadline) {
            try {
                if (in.read(buffer) < 0) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (SocketTimeoutException e) {
                try {
                    meanwhile.run();
                } catch (IOException closed) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (IOException reset) {
                return (System.nanoTime() - start) / 1_000_000;
            }
        }
        throw new AssertionError("still open after " + PATIENCE);
    }
}
