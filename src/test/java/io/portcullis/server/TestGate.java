package io.portcullis.server;

import io.portcullis.access.AccessPolicy;
import io.portcullis.auth.Authenticator;
import io.portcullis.auth.BcryptHash;
import io.portcullis.auth.CredentialCache;
import io.portcullis.auth.Htpasswd;
import io.portcullis.config.Settings;
import io.portcullis.config.SettingsLoader;
import io.portcullis.tls.CertificateGenerator;
import io.portcullis.tls.ClientCa;
import io.portcullis.tls.KeyType;
import io.portcullis.tls.ServerTls;
import io.portcullis.tls.TlsMaterial;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A gate started in this JVM on a free loopback port, with a fresh certificate and an htpasswd of its own. */
final class TestGate implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "correct horse";

    final Gate gate;
    final X509Certificate certificate;
    final Settings settings;

    private TestGate(Gate gate, X509Certificate certificate, Settings settings) {
        this.gate = gate;
        this.certificate = certificate;
        this.settings = settings;
    }

    /** @param flags extra serve flags, e.g. {@code upstream} */
    static TestGate start(Path dir, Map<String, String> flags) throws IOException {
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, USER + ":" + BcryptHash.hash(PASSWORD.getBytes(StandardCharsets.UTF_8), 4) + "\n");
        KeyPair keys = CertificateGenerator.generateKeyPair(KeyType.EC, 0);
        X509Certificate cert = CertificateGenerator.selfSignedLeaf(keys, List.of("127.0.0.1", "localhost"), 1);
        Map<String, String> all = new HashMap<>(Map.of("listen", "127.0.0.1:0", "htpasswd", htpasswd.toString()));
        all.putAll(flags);
        Settings settings = new SettingsLoader(all, Map.of(), dir).load();
        SSLContext tls = ServerTls.create(TlsMaterial.of(keys.getPrivate(), List.of(cert)),
                settings.clientCa().map(ClientCa::load).orElse(null)).context();
        Authenticator authenticator = new Authenticator(Htpasswd.load(settings.htpasswd()),
                new CredentialCache(settings.authCacheSize(), settings.authCacheTtl()));
        AccessPolicy access = settings.access().map(AccessPolicy::load).orElseGet(AccessPolicy::none);
        Gate gate = Gate.start(settings, authenticator, access, tls, cert, ServerTls.PROTOCOLS, ServerTls.cipherSuites(tls));
        return new TestGate(gate, cert, settings);
    }

    int port() {
        return gate.address().getPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("https://127.0.0.1:" + port() + pathAndQuery);
    }

    SSLContext clientTls() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gate", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    HttpClient client() throws Exception {
        return HttpClient.newBuilder().sslContext(clientTls()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The status of one GET /v2/ over a TLS socket bound to {@code localAddress} (all of 127.0.0.0/8 is loopback). */
    int statusFrom(String localAddress, String user, String password) throws Exception {
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
        gate.close();
    }
}
