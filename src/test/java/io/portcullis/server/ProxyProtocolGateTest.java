package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.testing.TestGate;
import io.portcullis.testing.WireMockGate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PROXY protocol through the real listener: 127.0.0.2 plays the load balancer ({@code --proxy-protocol-from}),
 * other loopback addresses play clients connecting directly. What a client sees is the status of its request, or
 * a connection that ends without one.
 */
class ProxyProtocolGateTest {
    private static final String BALANCER = "127.0.0.2";

    @TempDir
    java.nio.file.Path dir;

    @RegisterExtension
    final WireMockGate wiremock = new WireMockGate("from upstream");
    TestGate gate;

    @BeforeEach
    void start() throws Exception {
        gate = wiremock.gate(dir, Map.of("proxy-protocol-from", BALANCER + "/32", "throttle-failures", "3",
                "throttle-window", "10m"));
    }

    @Test
    void theThrottleCountsTheAddressTheHeaderCarriesNotTheBalancers() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, viaBalancer(v1("203.0.113.9"), "guess" + i));
        }
        assertEquals(429, viaBalancer(v1("203.0.113.9"), TestGate.PASSWORD), "the guessing client is throttled");

        assertEquals(200, viaBalancer(v1("203.0.113.10"), TestGate.PASSWORD), "another client behind the same balancer is not");
        assertEquals(200, viaBalancer(v2("198.51.100.7"), TestGate.PASSWORD), "a v2 header carries its client too");
        // a wrong password: the right one is remembered now (cache hits pass unthrottled, whoever sends them)
        assertEquals(429, viaBalancer(v2("203.0.113.9"), "guess3"), "v1 and v2 name the same client");
    }

    @Test
    void fromTheBalancerAConnectionWithoutAHeaderIsClosedUnserved() {
        assertThrows(IOException.class, () -> request(BALANCER, new byte[0], TestGate.PASSWORD));
    }

    @Test
    void fromAnyOtherAddressAHeaderIsRefusedWhilePlainTlsIsServed() throws Exception {
        assertThrows(IOException.class, () -> request("127.0.0.3", v1("203.0.113.50"), TestGate.PASSWORD));

        assertEquals(200, request("127.0.0.3", new byte[0], TestGate.PASSWORD));
        assertEquals(200, gate.statusFrom("127.0.0.4", TestGate.USER, TestGate.PASSWORD));
    }

    @Test
    void aDirectClientsFailuresAreItsOwnNotTheBalancers() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, gate.statusFrom("127.0.0.5", TestGate.USER, "guess" + i));
        }
        assertEquals(429, gate.statusFrom("127.0.0.5", TestGate.USER, TestGate.PASSWORD));
        assertEquals(200, viaBalancer(v1("127.0.0.6"), TestGate.PASSWORD));
    }

    private int viaBalancer(byte[] header, String password) throws Exception {
        return request(BALANCER, header, password);
    }

    /** Connects from {@code from}, writes {@code header} in the clear, then TLS and one GET /v2/: its status. */
    private int request(String from, byte[] header, String password) throws Exception {
        try (Socket tcp = new Socket()) {
            tcp.bind(new InetSocketAddress(from, 0));
            tcp.connect(new InetSocketAddress("127.0.0.1", gate.port()), 5000);
            tcp.setSoTimeout(20_000);
            tcp.getOutputStream().write(header);
            tcp.getOutputStream().flush();
            try (SSLSocket tls = (SSLSocket) gate.clientTls().getSocketFactory().createSocket(tcp, "127.0.0.1", gate.port(), true)) {
                OutputStream out = tls.getOutputStream();
                out.write(("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + TestGate.basic(TestGate.USER, password)
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String status = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                if (status == null) {
                    throw new IOException("closed without an answer");
                }
                return Integer.parseInt(status.split(" ")[1]);
            }
        }
    }

    private static byte[] v1(String client) {
        return ("PROXY TCP4 " + client + " 127.0.0.1 40000 5043\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The binary form HAProxy's send-proxy-v2 writes: signature, PROXY command over TCP/IPv4, addresses, ports. */
    private static byte[] v2(String client) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16 + 12);
        b.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
        b.put(InetAddress.getByName(client).getAddress()).put(InetAddress.getByName("127.0.0.1").getAddress());
        b.putShort((short) 40000).putShort((short) 5043);
        return b.array();
    }
}
