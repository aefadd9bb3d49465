package io.portcullis.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.access.AccessPolicy;
import io.portcullis.auth.Authenticator;
import io.portcullis.auth.BcryptHash;
import io.portcullis.auth.CredentialCache;
import io.portcullis.auth.Htpasswd;
import io.portcullis.config.Settings;
import io.portcullis.config.SettingsLoader;
import io.portcullis.server.Gate;
import io.portcullis.server.GateServices;
import io.portcullis.testing.Poll;
import io.portcullis.testing.TestPki;
import io.portcullis.testing.TestTlsEngine;
import io.portcullis.tls.Pem;
import io.portcullis.tls.ServerTls;
import io.portcullis.tls.TlsMaterial;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate reload against a real gate listening in this JVM, judged the way a client sees it: which
 * certificate serial a fresh JDK handshake (verifying the CA and the host name) is served.
 */
class CertificateReloadTest {
    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private final RecordingLog log = new RecordingLog();
    private Path certFile;
    private Path keyFile;
    private Path htpasswdFile;
    private Gate gate;
    private Reloader reloader;
    private SSLContext client;

    @BeforeEach
    void files() throws Exception {
        certFile = dir.resolve("docker-registry.crt");
        keyFile = dir.resolve("docker-registry.key");
        htpasswdFile = dir.resolve("htpasswd");
        Files.writeString(htpasswdFile, "alice:" + BcryptHash.hash("pw".getBytes(StandardCharsets.UTF_8), 4) + "\n");
        client = pki.clientContext();
    }

    /** Starts the gate the way ServeCommand does, from the files, then the reloader with a recording log. */
    private void startGate(Duration quiet) throws IOException {
        Settings settings = new SettingsLoader(Map.of("listen", "127.0.0.1:0", "cert", certFile.toString(),
                "key", keyFile.toString(), "htpasswd", htpasswdFile.toString()), Map.of(), dir).load();
        TlsMaterial material = TlsMaterial.load(settings.tls().cert(), settings.tls().key(), null);
        ServerTls tls = ServerTls.create(material, null, TestTlsEngine.choice());
        Authenticator authenticator = new Authenticator(Htpasswd.load(settings.auth().htpasswd()),
                new CredentialCache(settings.auth().cacheSize(), settings.auth().cacheTtl()));
        gate = Gate.start(settings, GateServices.of(authenticator, AccessPolicy.none(), tls));
        reloader = new Reloader(List.of(new CertificateReload(tls, settings.tls().cert(), settings.tls().key(), Optional.empty()),
                new HtpasswdReload(authenticator, settings.auth().htpasswd())), log);
        reloader.watch(quiet);
    }

    @AfterEach
    void stop() {
        if (reloader != null) {
            reloader.close();
        }
        if (gate != null) {
            gate.close();
        }
    }

    /** One full handshake as "localhost" with host name verification; the serial of the certificate served. */
    private BigInteger servedSerial() throws IOException {
        int port = gate.address().getPort();
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        plain.setSoTimeout(5_000);
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, "localhost", port, true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static String reloadedLine(TestPki.Pair pair) {
        return "INFO Reloaded certificate CN=localhost, serial " + pair.serial().toString(16).toUpperCase()
                + ", valid until " + pair.certificate().getNotAfter().toInstant();
    }

    @Test
    void replacingThePairWhileClientsKeepConnectingChangesTheServedSerialAndNoHandshakeFails() throws Exception {
        TestPki.Pair first = pki.issue(30);
        first.write(certFile, keyFile);
        startGate(Reloader.QUIET_PERIOD);
        TestPki.Pair second = pki.issue(30);

        Set<BigInteger> served = ConcurrentHashMap.newKeySet();
        AtomicInteger handshakes = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = IntStream.range(0, 3)
                .mapToObj(n -> new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            served.add(servedSerial());
                            handshakes.incrementAndGet();
                        } catch (Exception e) {
                            failures.incrementAndGet();
                            firstFailure.compareAndSet(null, e);
                        }
                    }
                }, "handshake-loop-" + n)).toList();
        clients.forEach(Thread::start);
        try {
            Poll.assertWithin(Duration.ofSeconds(30), () -> handshakes.get() >= 30, "30 handshakes before the replacement");

            // a renewal written in place, certificate first, then key: for a moment they do not match
            Files.writeString(certFile, Pem.certificates(List.of(second.certificate())));
            Files.writeString(keyFile, Pem.privateKey(second.keys().getPrivate()));

            Poll.assertWithin(Duration.ofSeconds(30), () -> served.contains(second.serial()), "the new serial being served");
            int afterSwap = handshakes.get();
            Poll.assertWithin(Duration.ofSeconds(30), () -> handshakes.get() >= afterSwap + 30, "30 more handshakes after the swap");
        } finally {
            stop.set(true);
            for (Thread t : clients) {
                t.join(10_000);
            }
        }

        assertEquals(0, failures.get(), "failed handshakes out of " + (handshakes.get() + failures.get())
                + ", first: " + firstFailure.get());
        assertEquals(Set.of(first.serial(), second.serial()), served);
        assertEquals(second.serial(), servedSerial());
        assertTrue(log.lines().contains(reloadedLine(second)), log.lines().toString());
    }

    @Test
    void certificateAndKeyWrittenSeparatelyAreReloadedOnce() throws Exception {
        TestPki.Pair first = pki.issue(30);
        first.write(certFile, keyFile);
        // a longer quiet period than in production, so a slow test machine cannot split the two writes
        startGate(Duration.ofSeconds(1));

        TestPki.Pair second = pki.issue(30);
        second.write(certFile, keyFile);
        log.awaitStartingWith(0, "INFO Reloaded certificate");
        assertEquals(second.serial(), servedSerial());

        // a later, unrelated change: once it is logged, anything the certificate writes caused was logged before it
        Files.writeString(htpasswdFile, "alice:" + BcryptHash.hash("pw2".getBytes(StandardCharsets.UTF_8), 4) + "\n");
        log.awaitStartingWith(0, "INFO Reloaded htpasswd");

        assertEquals(List.of(reloadedLine(second), "INFO Reloaded htpasswd " + htpasswdFile
                + ": 1 user (was 1; 0 added, 0 removed, 1 changed)"), log.lines());
    }

    @Test
    void aBadNewPairIsLoggedWithTheReasonAndTheLastGoodPairStaysInService() throws Exception {
        TestPki.Pair good = pki.issue(30);
        good.write(certFile, keyFile);
        startGate(Reloader.QUIET_PERIOD);
        String keyPem = Files.readString(keyFile);

        // a certificate issued for another key
        int seen = log.size();
        Files.writeString(certFile, Pem.certificates(List.of(pki.issue(30).certificate())));
        String mismatch = log.awaitStartingWith(seen, "WARN");
        assertEquals("WARN Certificate not reloaded, the previous one stays in service: private key in " + keyFile
                + " does not match the certificate in " + certFile + " (CN=localhost); set --cert and --key to a"
                + " certificate and the key it was issued for", mismatch);
        assertEquals(good.serial(), servedSerial());

        // the right key, but expired
        seen = log.size();
        Files.writeString(certFile, Pem.certificates(List.of(pki.expired(good.keys()).certificate())));
        String expired = log.awaitStartingWith(seen, "WARN");
        assertTrue(expired.startsWith("WARN Certificate not reloaded, the previous one stays in service: certificate file "
                + certFile + " expired on "), expired);
        assertEquals(good.serial(), servedSerial());

        // not a certificate at all
        seen = log.size();
        Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\nbroken\n");
        String broken = log.awaitStartingWith(seen, "WARN");
        assertTrue(broken.startsWith("WARN Certificate not reloaded, the previous one stays in service: certificate file "
                + certFile), broken);
        assertEquals(good.serial(), servedSerial());

        for (String line : log.lines()) {
            assertFalse(line.contains("PRIVATE KEY") || line.contains(keyPem.lines().skip(1).findFirst().orElseThrow()),
                    "no key material in the log: " + line);
            assertFalse(line.startsWith("INFO"), "nothing was reloaded: " + line);
        }

        // fixing the files is picked up like any change
        seen = log.size();
        TestPki.Pair renewed = pki.issue(30);
        renewed.write(certFile, keyFile);
        assertEquals(reloadedLine(renewed), log.awaitStartingWith(seen, "INFO"));
        assertEquals(renewed.serial(), servedSerial());
    }

    @Test
    void aCertificateCloseToExpiryIsServedWithAWarning() throws Exception {
        pki.issue(30).write(certFile, keyFile);
        startGate(Reloader.QUIET_PERIOD);

        TestPki.Pair shortLived = pki.issue(7);
        shortLived.write(certFile, keyFile);

        String warning = log.awaitStartingWith(0, "WARN");
        assertEquals(List.of(reloadedLine(shortLived), "WARN The reloaded certificate from " + certFile + " expires on "
                + shortLived.certificate().getNotAfter().toInstant() + ": renew it soon"), log.lines());
        assertTrue(warning.endsWith("renew it soon"));
        assertEquals(shortLived.serial(), servedSerial());
    }
}
