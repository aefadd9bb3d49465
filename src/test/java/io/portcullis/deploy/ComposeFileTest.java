package io.portcullis.deploy;

import static io.portcullis.testing.YamlTree.asMap;
import static io.portcullis.testing.YamlTree.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as docker-compose itself reads it (`docker-compose config`), and the Dockerfile's base
 * images against the stand-ins scripts/compose-test builds. The full stack runs in ComposeStackIT.
 */
class ComposeFileTest {

    /** `docker-compose config` output, or a skip with the reason when no compose is installable. */
    private static String composeConfig(Map<String, String> extraEnv, String... args) throws Exception {
        return composeConfig("docker-compose.yml", extraEnv, args);
    }

    private static String composeConfig(String file, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> compose = composeCommand();
        List<String> cmd = new ArrayList<>(compose);
        cmd.addAll(List.of("-f", file, "-p", "portcullis-config-check", "config"));
        cmd.addAll(List.of(args));
        Cmd.Result r = Cmd.of(cmd).envWithout(k -> k.startsWith("PORTCULLIS_") || k.startsWith("REGISTRY_")
                || k.startsWith("COMPOSE_") || k.startsWith("DOCKER_")).env(extraEnv).timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, r.exitCode(), () -> String.join(" ", cmd) + " failed:\n" + r.describe());
        return r.stdout();
    }

    /** docker-compose (Debian's package; installed with apt-get when running as root), else `docker compose`. */
    private static synchronized List<String> composeCommand() throws Exception {
        if (works("docker-compose", "version")) {
            return List.of("docker-compose");
        }
        if (works("docker", "compose", "version")) {
            return List.of("docker", "compose");
        }
        if ("root".equals(System.getProperty("user.name")) && Tools.find("apt-get").isPresent()) {
            Path policy = Path.of("/usr/sbin/policy-rc.d");
            boolean made = false;
            if (!Files.exists(policy)) { // docker-compose pulls in docker.io: keep its daemon from starting
                Files.writeString(policy, "#!/bin/sh\nexit 101\n");
                policy.toFile().setExecutable(true, false);
                made = true;
            }
            try {
                // success is judged below by whether docker-compose then works
                Cmd.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "docker-compose")
                        .env("DEBIAN_FRONTEND", "noninteractive").timeout(Duration.ofSeconds(600)).run();
            } finally {
                if (made) {
                    Files.deleteIfExists(policy);
                }
            }
            if (works("docker-compose", "version")) {
                return List.of("docker-compose");
            }
        }
        assumeTrue(false, "skipped: neither docker-compose nor `docker compose` is installed "
                + "(apt-get install docker-compose)");
        throw new AssertionError("unreachable");
    }

    private static boolean works(String... cmd) {
        try {
            return Cmd.of(cmd).timeout(Duration.ofSeconds(30)).run().exitCode() == 0;
        } catch (AssertionError e) { // not installed, or timed out
            return false;
        }
    }

    @Test
    void composeConfigQuiet() throws Exception {
        composeConfig(Map.of(), "-q");
    }

    @Test
    void composeFileAsComposeReadsIt() throws Exception {
        Map<String, Object> config = asMap(new Yaml().load(composeConfig(Map.of())));
        Map<String, Object> services = map(config, "services");
        Map<String, Object> gate = map(services, "portcullis");
        Map<String, Object> registry = map(services, "registry");

        assertEquals("registry:2", registry.get("image"));
        assertNull(registry.get("ports"), "the registry publishes no port: only the gate reaches it");
        assertEquals("portcullis:local", gate.get("image"));
        assertTrue(String.valueOf(gate.get("ports")).contains("5043"), "the gate publishes 5043: " + gate.get("ports"));
        assertEquals("http://registry:5000", map(gate, "environment").get("PORTCULLIS_UPSTREAM"));
        assertTrue(String.valueOf(map(registry, "environment").get("REGISTRY_HTTP_SECRET")).length() > 16);
        String volumes = String.valueOf(gate.get("volumes"));
        assertTrue(volumes.contains("/etc/portcullis/ssl") && volumes.contains("/etc/portcullis/auth"), volumes);
        // the tokens survive a re-created container: the state directory is a named volume
        assertTrue(volumes.contains("portcullis-state:/var/lib/portcullis"), volumes);
        assertTrue(map(config, "volumes").containsKey("portcullis-state"), "volume portcullis-state declared");
        assertTrue(map(map(config, "networks"), "internal").get("internal") == Boolean.TRUE, "registry network is internal");
        assertFalse(String.valueOf(registry.get("networks")).contains("front"), "registry stays off the front network");
        assertTrue(String.valueOf(map(gate, "healthcheck").get("test")).contains("health"), "the gate checks itself with portcullis health");
    }

    @Test
    void publishedAddressCanBeLoopbackOnly() throws Exception {
        String out = composeConfig(Map.of("PORTCULLIS_PUBLISH", "127.0.0.1:5043"));
        assertTrue(out.contains("127.0.0.1"), out);
    }

    /** scripts/compose-test tags stand-ins under exactly the names the Dockerfile and compose file pull. */
    @Test
    void composeTestBuildsEveryBaseImageTheStackUses() throws Exception {
        List<String> images = new ArrayList<>();
        Matcher from = Pattern.compile("(?im)^FROM\\s+(\\S+)").matcher(Files.readString(Path.of("Dockerfile")));
        while (from.find()) {
            images.add(from.group(1));
        }
        images.add("registry:2");
        String script = Files.readString(Path.of("scripts/compose-test"));
        Matcher standins = Pattern.compile("STANDINS=\\(([^)]*)\\)").matcher(script);
        assertTrue(standins.find(), "STANDINS=(...) in scripts/compose-test");
        List<String> built = List.of(standins.group(1).trim().split("\\s+"));
        assertEquals(3, images.size(), "Dockerfile stages: " + images);
        assertTrue(built.containsAll(images), "stand-ins " + built + " do not cover " + images);
        assertTrue(Files.isExecutable(Path.of("scripts/compose-test")), "scripts/compose-test is executable");
    }

    /** The HA set-up (docs/several-gates.md): only HAProxy is published, and the gates believe its PROXY header only. */
    @Test
    void severalGatesComposeFileAsComposeReadsIt() throws Exception {
        Map<String, Object> config = asMap(new Yaml().load(composeConfig("docker-compose.ha.yml", Map.of())));
        Map<String, Object> services = map(config, "services");
        Map<String, Object> haproxy = map(services, "haproxy");
        String haproxyAddress = String.valueOf(map(map(haproxy, "networks"), "balancer").get("ipv4_address"));
        String haproxyConfig = Files.readString(Path.of("deploy/haproxy/haproxy.cfg"));

        for (String name : List.of("gate1", "gate2")) {
            Map<String, Object> gate = map(services, name);
            Map<String, Object> env = map(gate, "environment");
            assertNull(gate.get("ports"), name + " is reached through HAProxy only");
            assertEquals("redis://redis:6379", env.get("PORTCULLIS_REDIS"), name);
            assertEquals(haproxyAddress + "/32", env.get("PORTCULLIS_PROXY_PROTOCOL_FROM"), name + " trusts HAProxy alone");
            assertTrue(String.valueOf(env.get("PORTCULLIS_REDIS_PASSWORD_FILE")).startsWith("/etc/portcullis/redis/"), name);
            assertTrue(Pattern.compile("server \\S+ " + name + ":5043 send-proxy-v2 check check-send-proxy").matcher(haproxyConfig).find(),
                    name + " in haproxy.cfg with the PROXY protocol, on traffic and checks");
        }
        assertTrue(String.valueOf(haproxy.get("ports")).contains("5043"), "HAProxy publishes 5043");
        assertNull(map(services, "registry").get("ports"));
        assertNull(map(services, "redis").get("ports"), "Redis is internal");
        assertTrue(String.valueOf(map(services, "redis").get("command")).contains("--requirepass"), "Redis wants the password");
        assertTrue(String.valueOf(map(services, "redis").get("command")).contains("--appendonly yes"), "tokens survive a Redis restart");
        assertTrue(map(map(config, "networks"), "balancer").get("internal") == Boolean.TRUE, "gates are not on a public network");
        assertTrue(map(map(config, "networks"), "internal").get("internal") == Boolean.TRUE);
    }
}
