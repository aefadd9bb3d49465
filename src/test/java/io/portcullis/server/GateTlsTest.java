package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.TestTlsEngine;
import io.portcullis.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a TLS client sees of the gate's listener: 1.3 preferred, 1.2 with AEAD only, nothing older. Run on
 * BoringSSL and again on JSSE (pom: tls-on-jsse).
 */
class GateTlsTest {
    @TempDir
    Path dir;

    TestGate gate;
    Path caFile;

    /** A gate of its own, not WireMockGate: only the TLS listener is under test, so no upstream is needed. */
    @BeforeEach
    void start() throws Exception {
        gate = TestGate.start(dir, Map.of("upstream", "http://127.0.0.1:9"));
        caFile = dir.resolve("gate.crt");
        Files.writeString(caFile, Pem.certificates(List.of(gate.certificate)));
    }

    @AfterEach
    void stop() {
        gate.close();
    }

    private Cmd.Result sClient(String... options) {
        String[] command = new String[6 + options.length];
        command[0] = "openssl";
        command[1] = "s_client";
        command[2] = "-connect";
        command[3] = "127.0.0.1:" + gate.port();
        command[4] = "-CAfile";
        command[5] = caFile.toString();
        System.arraycopy(options, 0, command, 6, options.length);
        return Cmd.in(dir, command);
    }

    @Test
    void servesWithTheEngineUnderTest() {
        assertEquals(TestTlsEngine.expected(), gate.portcullis.tls().engine().name());
    }

    @Test
    void negotiatesTls13ByDefaultAndVerifiesAgainstTheCertificate() {
        Cmd.Result r = sClient("-verify_return_error", "-verify_ip", "127.0.0.1");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("TLSv1.3"), r.output());
    }

    @Test
    void tls12IsOfferedOnlyWithAeadSuites() {
        Cmd.Result gcm = sClient("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
        assertEquals(0, gcm.exitCode(), gcm.output());
        assertTrue(gcm.output().contains("ECDHE-ECDSA-AES128-GCM-SHA256"), gcm.output());

        Cmd.Result cbc = sClient("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA");
        assertNotEquals(0, cbc.exitCode(), cbc.output());
        assertTrue(cbc.output().contains("handshake failure"), cbc.output());
    }

    @Test
    void tls11IsRefused() {
        Cmd.Result r = sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("protocol version") || r.output().contains("no protocols available"), r.output());
    }

    @Test
    void tls10IsRefused() {
        Cmd.Result r = sClient("-tls1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("protocol version") || r.output().contains("no protocols available"), r.output());
    }
}
