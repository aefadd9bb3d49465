package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.testing.TestGate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers without a body (HEAD of a blob, which keeps its Content-Length; 304 of a manifest) leave both connections
 * open for the next request: the client's TLS connection to the gate and the gate's pooled connection to the
 * registry. A proxy that expected the announced body after a HEAD would stall or close the upstream connection, and
 * one that closed the client connection would cost a TLS handshake (~9.5 CPU-ms on the gate) per HEAD; docker and
 * skopeo send dozens of HEADs per push. The upstream here is a raw socket server that numbers its connections.
 * And the registry's own connection headers stay on its side: its {@code Connection: close} (Go sends one after an
 * unread request body or while shutting down) ends the upstream connection only, not the client's.
 */
class BodilessKeepAliveTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String BLOB = "/v2/team/app/blobs/" + DIGEST;
    private static final String MANIFEST = "/v2/team/app/manifests/1";
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void headAndNotModifiedAnswersKeepTheClientAndTheUpstreamConnection() throws Exception {
        CountingRegistry registry = converse(false, (socket, gate) -> {
            for (int i = 0; i < ROUNDS; i++) {
                Head head = send(socket, gate, "HEAD " + BLOB, "");
                assertEquals(200, head.status(), "HEAD " + i);
                assertEquals("1000", head.header("Content-Length"), "a HEAD keeps the blob's length");
                assertNull(head.header("Connection"), "HEAD " + i + " must not close the connection");
                readBody(socket, 0); // none, whatever Content-Length says

                Head notModified = send(socket, gate, "GET " + MANIFEST, "If-None-Match: \"" + DIGEST + "\"\r\n");
                assertEquals(304, notModified.status(), "GET If-None-Match " + i);
                assertNull(notModified.header("Connection"));

                Head manifest = send(socket, gate, "GET " + MANIFEST, "");
                assertEquals(200, manifest.status());
                assertEquals("{}", readBody(socket, Integer.parseInt(manifest.header("Content-Length"))),
                        "the body after the bodiless answers is the manifest's own: nothing was left in between");
            }
            // still open: a read waits instead of seeing the end of the stream
            socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
        });
        assertEquals(1, registry.connectionsServing(BLOB, MANIFEST),
                "every request went over one pooled upstream connection: " + registry.requestsByConnection);
    }

    @Test
    void theRegistryClosingItsConnectionAfterAHeadLeavesTheClientConnectionOpen() throws Exception {
        CountingRegistry registry = converse(true, (socket, gate) -> {
            for (int i = 0; i < ROUNDS; i++) {
                Head head = send(socket, gate, "HEAD " + BLOB, "");
                assertEquals(200, head.status(), "HEAD " + i);
                assertNull(head.header("Connection"), "the registry's Connection: close is not the client's");
                assertNull(head.header("Keep-Alive"), "nor its Keep-Alive");
                Head manifest = send(socket, gate, "GET " + MANIFEST, "");
                assertEquals(200, manifest.status(), "the same client connection serves on, " + i);
                assertEquals("{}", readBody(socket, Integer.parseInt(manifest.header("Content-Length"))));
            }
        });
        // the registry closed after each HEAD: the gate opened a new upstream connection for what came next
        assertEquals(ROUNDS + 1, registry.connectionsServing(BLOB, MANIFEST), registry.requestsByConnection.toString());
    }

    @FunctionalInterface
    private interface Conversation {
        void over(SSLSocket socket, TestGate gate) throws Exception;
    }

    /** Runs {@code conversation} on one TLS connection to a gate (one IO thread) in front of a new registry. */
    private CountingRegistry converse(boolean closeAfterHead, Conversation conversation) throws Exception {
        try (CountingRegistry registry = new CountingRegistry(closeAfterHead);
             TestGate gate = TestGate.start(dir, Map.of("upstream", "http://127.0.0.1:" + registry.port(),
                     "io-threads", "1", "upstream-connections", "4"));
             SSLSocket socket = (SSLSocket) gate.clientTls().getSocketFactory().createSocket("127.0.0.1", gate.port())) {
            socket.setSoTimeout(5000);
            conversation.over(socket, gate);
            return registry;
        }
    }

    private record Head(int status, List<String> headers) {
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).strip()).findFirst().orElse(null);
        }
    }

    private static Head send(SSLSocket socket, TestGate gate, String requestLine, String extraHeaders) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1:" + gate.port() + "\r\nAuthorization: "
                + TestGate.basic(TestGate.USER, TestGate.PASSWORD) + "\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String status = readLine(in);
        List<String> headers = new ArrayList<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            headers.add(line);
        }
        return new Head(Integer.parseInt(status.split(" ")[1]), headers);
    }

    private static String readBody(SSLSocket socket, int length) throws IOException {
        return new String(socket.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Answers like the registry for one blob and one manifest, over HTTP/1.1 keep-alive, and records which of its
     * connections (numbered in accept order) carried which request path.
     */
    private static final class CountingRegistry implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger accepted = new AtomicInteger();
        final Map<Integer, List<String>> requestsByConnection = new ConcurrentHashMap<>();
        private final Thread acceptor = new Thread(this::accept, "counting-registry");
        private final boolean closeAfterHead;

        /** @param closeAfterHead answer HEAD with {@code Connection: close} and close, as Go does in some cases */
        CountingRegistry(boolean closeAfterHead) throws IOException {
            this.closeAfterHead = closeAfterHead;
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        long connectionsServing(String... paths) {
            List<String> wanted = List.of(paths);
            return requestsByConnection.values().stream().filter(requests -> requests.stream().anyMatch(wanted::contains)).count();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    int id = accepted.incrementAndGet();
                    Thread t = new Thread(() -> serve(socket, id), "counting-registry-" + id);
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket, int id) {
            List<String> requests = requestsByConnection.computeIfAbsent(id, k -> new ArrayList<>());
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                while (true) {
                    String requestLine = readLine(in);
                    String ifNoneMatch = null;
                    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("if-none-match:")) {
                            ifNoneMatch = line.substring(line.indexOf(':') + 1).strip();
                        }
                    }
                    String[] parts = requestLine.split(" ");
                    requests.add(parts[1]);
                    boolean close = closeAfterHead && parts[0].equals("HEAD");
                    out.write(answer(parts[0], parts[1], ifNoneMatch, close).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (close) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the gate closed the connection (or the test ended)
            }
        }

        private static String answer(String method, String path, String ifNoneMatch, boolean close) {
            String api = "Docker-Distribution-Api-Version: registry/2.0\r\n";
            if (path.equals(BLOB) && method.equals("HEAD")) {
                return "HTTP/1.1 200 OK\r\n" + (close ? "Connection: close\r\nKeep-Alive: timeout=5\r\n" : "") + api
                        + "Content-Length: 1000\r\nContent-Type: application/octet-stream\r\n"
                        + "Docker-Content-Digest: " + DIGEST + "\r\n\r\n";
            }
            if (path.equals(MANIFEST) && ("\"" + DIGEST + "\"").equals(ifNoneMatch)) {
                return "HTTP/1.1 304 Not Modified\r\n" + api + "Etag: \"" + DIGEST + "\"\r\n\r\n";
            }
            String body = "{}"; // the manifest, and /v2/ for the readiness probe
            return "HTTP/1.1 200 OK\r\n" + api + "Content-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
