package io.portcullis.jmh;

import io.portcullis.auth.Authenticator;
import io.portcullis.auth.BasicAuthHandler;
import io.portcullis.auth.BcryptHash;
import io.portcullis.auth.CredentialCache;
import io.portcullis.auth.Credentials;
import io.portcullis.auth.Htpasswd;
import io.portcullis.proxy.ForwardedHeadersHandler;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The work the gate does on the IO thread for every authenticated request once the credentials are cached:
 * parse {@code Authorization: Basic}, HMAC + cache lookup, then rewrite the forwarding headers. A regression here
 * shows up as lower req/s on {@code GET /v2/} and {@code HEAD} blob in bench/run. bcrypt itself (the cache miss)
 * is measured too, to show what the cache saves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx64m"})
public class HotPathBenchmark {
    private static final HttpString USER_AGENT_VALUE = new HttpString("containers/5.24.1 (github.com/containers/image)");

    @Param({"5", "10"})
    public int cost;

    private Authenticator authenticator;
    private HttpHandler chain;
    private String authorization;
    private HeaderMap headers;
    private Credentials credentials;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
        Path file = Files.createTempFile("jmh-htpasswd", "");
        Files.writeString(file, "alice:" + BcryptHash.hash(password, cost) + "\n"
                + "bob:" + BcryptHash.hash("other".getBytes(StandardCharsets.UTF_8), cost) + "\n");
        authenticator = new Authenticator(Htpasswd.load(file), new CredentialCache(10_000, Duration.ofMinutes(5)));
        Files.delete(file);
        authorization = "Basic " + Base64.getEncoder().encodeToString(
                ("alice:" + new String(password, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        headers = new HeaderMap();
        headers.put(Headers.AUTHORIZATION, authorization);
        credentials = Credentials.from(headers).orElseThrow();
        if (!authenticator.verify(credentials)) { // fills the cache, as the first request of a push does
            throw new IllegalStateException("setup: password not accepted");
        }
        HttpHandler end = exchange -> { };
        chain = new BasicAuthHandler(authenticator, "Registry Realm", Runnable::run, new ForwardedHeadersHandler(end));
    }

    /** Base64 decode and split of the Authorization header. */
    @Benchmark
    public Object parseAuthorization() {
        return Credentials.from(headers);
    }

    /** HMAC-SHA256 of user, password and stored hash, then the Caffeine lookup: a cache hit. */
    @Benchmark
    public boolean cacheHit() {
        return authenticator.isRemembered(credentials);
    }

    /** What the IO thread does per request: a typical registry request's headers through auth and forwarding. */
    @Benchmark
    public void authAndForwardHeaders(Blackhole bh) throws Exception {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setRequestScheme("https");
        HeaderMap h = exchange.getRequestHeaders();
        h.put(Headers.HOST, "registry.example.com:5043");
        h.put(Headers.AUTHORIZATION, authorization);
        h.put(Headers.USER_AGENT, USER_AGENT_VALUE.toString());
        h.put(Headers.ACCEPT, "application/vnd.oci.image.manifest.v1+json");
        h.put(Headers.X_FORWARDED_FOR, "10.0.0.1");
        chain.handleRequest(exchange);
        bh.consume(h.getFirst(Headers.X_FORWARDED_HOST));
    }

    /** A cache miss: the full bcrypt check the cache saves (about 2 ms at cost 5, 50-70 ms at cost 10). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public boolean bcryptVerify() {
        return authenticator.verify(credentials);
    }
}
