package io.portcullis.tls;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A TLS listener configured exactly like the gate's (via {@link ServerTls#configure}) that answers every
 * connection with one fixed HTTP response, so curl and openssl s_client have something real to talk to.
 */
public final class OneShotHttpsServer implements AutoCloseable {
    public static final String BODY = "portcullis-test-ok";

    private final SSLServerSocket socket;
    private final Thread acceptor;

    public OneShotHttpsServer(ServerTls tls) throws IOException {
        socket = (SSLServerSocket) tls.context().getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        tls.configure(socket);
        acceptor = new Thread(this::acceptLoop, "one-shot-https");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (SSLSocket client = (SSLSocket) socket.accept()) {
                client.setSoTimeout(10_000);
                serve(client);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // Failed handshakes are the point of some tests; the client side reports them.
            }
        }
    }

    private static void serve(SSLSocket client) throws IOException {
        client.startHandshake();
        InputStream in = client.getInputStream();
        // Read up to the blank line ending the request head; s_client sends nothing and just closes.
        int state = 0;
        for (int b = in.read(); b != -1; b = in.read()) {
            state = (b == '\n') ? state + 1 : (b == '\r' ? state : 0);
            if (state == 2) {
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length()
                        + "\r\nConnection: close\r\n\r\n" + BODY).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
