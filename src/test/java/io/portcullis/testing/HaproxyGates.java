package io.portcullis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Several real gates (the jar) behind Debian's HAProxy, round-robin per connection, sending the PROXY protocol
 * (v2 to some gates, v1 to others), sharing one real redis-server and one real registry: the HA set-up of
 * docs/several-gates.md on loopback. HAProxy reaches the gates from 127.0.0.1, the one address they accept a PROXY
 * header from; clients pick their own loopback address ({@code curl --interface 127.0.0.N}) to be told apart.
 */
public final class HaproxyGates implements AutoCloseable {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Path dir;
    private RegistryProcess registry;
    private RedisProcess redis;
    private TestPki.PemFiles pki;
    private Users users;
    private final List<GateProcess> gates = new ArrayList<>();
    private DaemonProcess haproxy;
    private int port;

    private HaproxyGates(Path dir) {
        this.dir = dir;
    }

    /** @param gateArgs more serve flags for gate {@code i} (its directory given) */
    public static HaproxyGates start(String name, int count, java.util.function.BiFunction<Integer, Path, List<String>> gateArgs) {
        Tools.require("haproxy", "haproxy");
        HaproxyGates g = new HaproxyGates(TempDirs.create(name));
        try {
            g.startNow(count, gateArgs);
        } catch (RuntimeException | Error e) {
            g.close();
            throw e;
        }
        return g;
    }

    private void startNow(int count, java.util.function.BiFunction<Integer, Path, List<String>> gateArgs) {
        users = Users.create(dir.resolve("htpasswd"));
        registry = own(RegistryProcess.start(dir.resolve("registry")));
        redis = own(RedisProcess.start(dir.resolve("redis")));
        pki = TestPki.genCert(dir.resolve("pki"));
        for (int i = 0; i < count; i++) {
            Path gateDir = dir.resolve("gate" + i);
            try {
                Files.createDirectories(gateDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> args = new ArrayList<>(List.of("--redis", redis.url(), "--proxy-protocol-from", "127.0.0.1/32"));
            args.addAll(gateArgs.apply(i, gateDir));
            gates.add(own(GateProcess.start(gateDir, registry.url(), pki, users, "256m", Stack.REALM, args)));
        }
        port = freePort();
        StringBuilder cfg = new StringBuilder(String.join("\n",
                "global", "  maxconn 512",
                "defaults", "  mode tcp", "  timeout connect 5s", "  timeout client 120s", "  timeout server 120s",
                "frontend gates", "  bind 127.0.0.1:" + port, "  default_backend gates",
                "backend gates", "  balance roundrobin", ""));
        for (int i = 0; i < gates.size(); i++) {
            // v2 and v1 both in play; a killed gate is taken out by the health check, as in production
            cfg.append("  server g").append(i).append(" ").append(gates.get(i).hostPort())
                    .append(i % 2 == 0 ? " send-proxy-v2" : " send-proxy").append(" check inter 500ms fall 1 rise 2\n");
        }
        Path config = AuditSupport.write(dir.resolve("haproxy.cfg"), cfg.toString());
        haproxy = own(new DaemonProcess("haproxy", List.of(Tools.require("haproxy", "haproxy").toString(), "-db", "-f",
                config.toString()), dir.resolve("haproxy.log")));
        haproxy.start();
        if (!Poll.until(this::accepting, Duration.ofSeconds(20))) {
            throw new AssertionError("haproxy is not listening on " + port + "\n" + haproxy.log());
        }
    }

    private boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The balancer's address, as clients use it. */
    public String url() {
        return "https://127.0.0.1:" + port;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public List<GateProcess> gates() {
        return gates;
    }

    public RedisProcess redis() {
        return redis;
    }

    public RegistryProcess registry() {
        return registry;
    }

    public TestPki.PemFiles pki() {
        return pki;
    }

    public Path dir() {
        return dir;
    }

    public Curl curl() {
        return new Curl(pki.caCert());
    }

    /** Everything every gate and HAProxy logged, for failure messages. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < gates.size(); i++) {
            b.append("--- gate ").append(i).append(" ---\n").append(gates.get(i).log());
        }
        return b.append("--- haproxy ---\n").append(haproxy == null ? "" : haproxy.log()).toString();
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                // the rest still closes
            }
        }
        TempDirs.deleteQuietly(dir);
    }
}
