package io.portcullis.testing;

import io.portcullis.app.Portcullis;
import io.portcullis.auth.BcryptHash;
import io.portcullis.config.Settings;
import io.portcullis.config.SettingsLoader;
import io.portcullis.server.Gate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** A gate started in this JVM on a free loopback port, with a fresh certificate and an htpasswd of its own. */
public final class TestGate implements AutoCloseable {
    public static final String USER = "alice";
    public static final String PASSWORD = "correct horse";

    public final Portcullis portcullis;
    public final Gate gate;
    public final X509Certificate certificate;
    private final TestPki.Pair gateCert;
    public final Settings settings;

    private TestGate(Portcullis portcullis, TestPki.Pair gateCert, Settings settings) {
        this.portcullis = portcullis;
        this.gate = portcullis.gate();
        this.gateCert = gateCert;
        this.certificate = gateCert.certificate();
        this.settings = settings;
    }

    /** @param flags extra serve flags, e.g. {@code upstream} */
    public static TestGate start(Path dir, Map<String, String> flags) throws IOException {
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, USER + ":" + hashOf(PASSWORD) + "\n");
        TestPki.Pair gateCert = TestPki.selfSigned(List.of("127.0.0.1", "localhost"), 1);
        Path certFile = dir.resolve("gate.crt");
        Path keyFile = dir.resolve("gate.key");
        gateCert.write(certFile, keyFile);
        Map<String, String> all = new HashMap<>(Map.of("listen", "127.0.0.1:0", "htpasswd", htpasswd.toString(),
                "cert", certFile.toString(), "key", keyFile.toString()));
        all.put("tls-engine", io.portcullis.testing.TestTlsEngine.name());
        all.putAll(flags);
        Settings settings = new SettingsLoader(all, Map.of(), dir).load();
        // as serve starts it, without the reloader (a SIGHUP handler is one per JVM)
        return new TestGate(Portcullis.start(settings), gateCert, settings);
    }

    public int port() {
        return gate.address().getPort();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("https://127.0.0.1:" + port() + pathAndQuery);
    }

    public SSLContext clientTls() throws Exception {
        return gateCert.trustingContext();
    }

    public HttpClient client() throws Exception {
        return HttpClient.newBuilder().sslContext(clientTls()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static String hashOf(String password) {
        return BcryptHash.hash(password.getBytes(StandardCharsets.UTF_8), 4);
    }

    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The status of one GET /v2/ over a TLS socket bound to {@code localAddress} (all of 127.0.0.0/8 is loopback). */
    public int statusFrom(String localAddress, String user, String password) throws Exception {
        try (SSLSocket socket = (SSLSocket) clientTls().getSocketFactory().createSocket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\nAuthorization: " + basic(user, password)
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Override
    public void close() {
        portcullis.close();
    }
}
