package io.portcullis.server;

import io.portcullis.testing.Poll;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.portcullis.cli.PortcullisCommand;
import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import io.portcullis.tls.Pem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code portcullis health} as Docker's HEALTHCHECK runs it: exit 0 against a ready gate, 1 otherwise. */
class HealthCommandTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @RegisterExtension
    final WireMockGate wiremock = WireMockGate.bare();
    WireMockServer upstream;
    TestGate gate;

    @BeforeEach
    void start() throws Exception {
        upstream = wiremock.server;
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401)));
        gate = wiremock.gate(dir, Map.of("admin-listen", "127.0.0.1:0"));
    }

    private record Run(int exitCode, String out) {
    }

    private static Run health(String... args) {
        CommandLine cl = PortcullisCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "health";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cl.execute(all);
        return new Run(code, out + err.toString());
    }

    /** Runs the command until it exits with {@code wanted} (the readiness probe runs in the background), bounded. */
    private static Run healthUntil(int wanted, String... args) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Run r = health(args);
        while (r.exitCode() != wanted && System.nanoTime() < deadline) {
            Poll.pause(50); // polling interval; the loop ends on the observed exit code
            r = health(args);
        }
        return r;
    }

    @Test
    void exitsZeroAgainstAReadyGateAcceptingItsCertificateByDefault() throws Exception {
        Run r = healthUntil(0, "--url", gate.uri("/readyz").toString());

        assertEquals(0, r.exitCode(), r.out());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().startsWith("ready: 200 {\"status\":\"ready\""), r.out());
    }

    @Test
    void verifiesTheGateWithCacert() throws Exception {
        Path ca = dir.resolve("gate.crt");
        Files.writeString(ca, Pem.certificates(List.of(gate.certificate)));

        Run r = healthUntil(0, "--url", gate.uri("/readyz").toString(), "--cacert", ca.toString());
        assertEquals(0, r.exitCode(), r.out());

        // the certificate names 127.0.0.1 and localhost, not this other spelling of the same address
        Run wrongName = health("--url", "https://127.0.0.2:" + gate.port() + "/readyz", "--cacert", ca.toString());
        assertEquals(1, wrongName.exitCode(), wrongName.out());
    }

    @Test
    void worksAgainstTheAdminListenerOverPlainHttp() throws Exception {
        String url = "http://127.0.0.1:" + gate.gate.adminAddress().orElseThrow().getPort() + "/readyz";
        assertEquals(0, healthUntil(0, "--url", url).exitCode());
    }

    @Test
    void exitsOneWhenTheRegistryIsDown() throws Exception {
        healthUntil(0, "--url", gate.uri("/readyz").toString());
        upstream.stop();

        Run r = healthUntil(1, "--url", gate.uri("/readyz").toString());
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().startsWith("not ready: 503 {\"status\":\"not ready\""), r.out());
    }

    @Test
    void exitsOneWhenTheGateIsStopped() {
        String url = gate.uri("/readyz").toString();
        gate.close();
        gate = null;

        Run r = health("--url", url, "--timeout", "2s");
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().startsWith("not ready: " + url + ": "), r.out());
        assertEquals(1, r.out().strip().lines().count(), r.out());
    }
}
