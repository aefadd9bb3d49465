package io.portcullis.deploy;

import static io.portcullis.testing.YamlTree.asMap;
import static io.portcullis.testing.YamlTree.env;
import static io.portcullis.testing.YamlTree.integer;
import static io.portcullis.testing.YamlTree.list;
import static io.portcullis.testing.YamlTree.listOrEmpty;
import static io.portcullis.testing.YamlTree.map;
import static io.portcullis.testing.YamlTree.mountedSecret;
import static io.portcullis.testing.YamlTree.onlyContainer;
import static io.portcullis.testing.YamlTree.onlyItem;
import static io.portcullis.testing.YamlTree.resolvePort;
import static io.portcullis.testing.YamlTree.str;
import static io.portcullis.testing.YamlTree.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.Tools;
import io.portcullis.testing.YamlTree;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/kubernetes/*.yaml: parsed, checked for the fields the gate depends on, and (where node and npm are
 * installed) validated against the Kubernetes OpenAPI schemas bundled in the npm package kubernetes-models.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("deploy/kubernetes");
    private static final String NAMESPACE = "portcullis";
    /** Kinds whose pod template is checked alike (Redis runs as a StatefulSet, for its volume). */
    private static final List<String> WORKLOADS = List.of("Deployment", "StatefulSet");

    /** One YAML document and the file it came from. */
    record Doc(String file, Map<String, Object> body) {
        String kind() { return (String) body.get("kind"); }
        String name() { return str(map(body, "metadata"), "name"); }
        @Override public String toString() { return file + " " + kind() + "/" + name(); }
    }

    private static List<Doc> docs;

    @BeforeAll
    static void load() throws IOException {
        docs = new ArrayList<>();
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object o : new Yaml(options).loadAll(Files.readString(f))) {
                    if (o == null) {
                        continue;
                    }
                    assertTrue(o instanceof Map, f + ": a document is not a mapping");
                    @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) o;
                    docs.add(new Doc(f.getFileName().toString(), m));
                }
            }
        }
        assertFalse(docs.isEmpty(), "no manifests in " + DIR);
    }

    @Test
    void expectedFilesAreThere() {
        for (String f : List.of("namespace.yaml", "portcullis-deployment.yaml", "portcullis-service.yaml",
                "registry-deployment.yaml", "registry-service.yaml", "secrets.example.yaml", "redis.yaml", "README.md")) {
            assertTrue(Files.isRegularFile(DIR.resolve(f)), DIR.resolve(f) + " is missing");
        }
    }

    @Test
    void everyDocumentHasApiVersionKindNameAndTheNamespace() {
        for (Doc d : docs) {
            assertNotNull(d.body().get("apiVersion"), d + ": apiVersion");
            assertNotNull(d.kind(), d + ": kind");
            assertNotNull(d.name(), d + ": metadata.name");
            assertTrue(d.name().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), d + ": metadata.name is not a DNS label");
            if (!d.kind().equals("Namespace")) {
                assertEquals(NAMESPACE, str(map(d.body(), "metadata"), "namespace"), d + ": metadata.namespace");
            }
        }
    }

    @Test
    void gateDeploymentRunsTwoHardenedReplicasWithProbes() {
        Map<String, Object> spec = map(one("Deployment", "portcullis").body(), "spec");
        assertTrue(integer(spec, "replicas") >= 2, "the gate runs at least 2 replicas");
        Map<String, Object> pod = map(map(spec, "template"), "spec");
        Map<String, Object> container = onlyContainer(pod);

        assertTrue(str(container, "image").startsWith("portcullis:") || str(container, "image").contains("/portcullis:"),
                "gate image: " + container.get("image"));
        assertEquals(5043, integer(onlyItem(list(container, "ports")), "containerPort"));

        Map<String, Object> liveness = map(map(container, "livenessProbe"), "httpGet");
        Map<String, Object> readiness = map(map(container, "readinessProbe"), "httpGet");
        assertEquals("/livez", liveness.get("path"));
        assertEquals("/readyz", readiness.get("path"));
        for (Map<String, Object> probe : List.of(liveness, readiness)) {
            assertEquals("HTTPS", probe.get("scheme"), "probes speak TLS to the gate");
            assertEquals(5043, resolvePort(container, probe.get("port")), "probe port");
        }

        Map<String, Object> resources = map(container, "resources");
        assertNotNull(map(resources, "requests").get("memory"), "memory request");
        assertNotNull(map(resources, "requests").get("cpu"), "cpu request");
        assertNotNull(map(resources, "limits").get("memory"), "memory limit");

        Map<String, Object> podSecurity = map(pod, "securityContext");
        Map<String, Object> security = map(container, "securityContext");
        assertEquals(Boolean.TRUE, podSecurity.get("runAsNonRoot"));
        assertEquals(10001, integer(podSecurity, "runAsUser"));
        assertEquals(Boolean.TRUE, security.get("runAsNonRoot"));
        assertEquals(10001, integer(security, "runAsUser"));
        assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), list(map(security, "capabilities"), "drop"));
        // longer than the gate's default drain timeout (60 s), so SIGTERM lets uploads finish
        assertTrue(integer(pod, "terminationGracePeriodSeconds") > 60, "terminationGracePeriodSeconds");
    }

    @Test
    void gateEnvironmentPointsIntoTheSecretMounts() {
        Map<String, Object> pod = map(map(map(one("Deployment", "portcullis").body(), "spec"), "template"), "spec");
        Map<String, Object> container = onlyContainer(pod);
        Map<String, String> env = env(container);
        assertEquals("/etc/portcullis/tls/tls.crt", env.get("PORTCULLIS_CERT"));
        assertEquals("/etc/portcullis/tls/tls.key", env.get("PORTCULLIS_KEY"));
        assertEquals("/etc/portcullis/auth/htpasswd", env.get("PORTCULLIS_HTPASSWD"));
        assertEquals("http://registry:5000", env.get("PORTCULLIS_UPSTREAM"));

        Map<String, Object> secrets = secretsByName();
        Map<String, Object> tls = mountedSecret(pod, container, "/etc/portcullis/tls");
        assertEquals("portcullis-tls", tls.get("secretName"));
        assertEquals("kubernetes.io/tls", ((Map<?, ?>) secrets.get("portcullis-tls")).get("type"),
                "the certificate Secret is of type kubernetes.io/tls");
        Map<String, Object> auth = mountedSecret(pod, container, "/etc/portcullis/auth");
        assertEquals("portcullis-htpasswd", auth.get("secretName"));
        assertTrue(secretKeys(secrets.get("portcullis-htpasswd")).contains("htpasswd"), "htpasswd key");
        assertTrue(secretKeys(secrets.get("portcullis-tls")).containsAll(List.of("tls.crt", "tls.key")));
    }

    @Test
    void secretVolumesAreMountedAsDirectoriesNeverWithSubPath() {
        for (Doc d : docs) {
            // a StatefulSet's claim templates are no pod volumes; Redis reads its password once, at start
            if (!d.kind().equals("Deployment")) {
                continue;
            }
            Map<String, Object> pod = map(map(map(d.body(), "spec"), "template"), "spec");
            for (Object c : list(pod, "containers")) {
                for (Object m : listOrEmpty(asMap(c), "volumeMounts")) {
                    Map<String, Object> mount = asMap(m);
                    Map<String, Object> volume = volume(pod, str(mount, "name"));
                    if (volume.containsKey("secret") || volume.containsKey("configMap") || volume.containsKey("projected")) {
                        // a subPath mount is copied at start and never sees the ..data symlink swap of an update
                        assertNull(mount.get("subPath"), d + ": " + mount.get("name") + " uses subPath");
                        assertNull(mount.get("subPathExpr"), d + ": " + mount.get("name") + " uses subPathExpr");
                        assertEquals(Boolean.TRUE, mount.get("readOnly"), d + ": " + mount.get("name") + " readOnly");
                    }
                }
            }
        }
    }

    @Test
    void selectorsMatchTemplateLabelsAndServicesReachContainerPorts() {
        for (Doc d : docs) {
            if (!WORKLOADS.contains(d.kind())) {
                continue;
            }
            Map<String, Object> spec = map(d.body(), "spec");
            Map<String, Object> selector = map(map(spec, "selector"), "matchLabels");
            Map<String, Object> labels = map(map(map(spec, "template"), "metadata"), "labels");
            assertFalse(selector.isEmpty(), d + ": empty selector");
            assertTrue(labels.entrySet().containsAll(selector.entrySet()), d + ": selector " + selector + " vs labels " + labels);
        }
        for (Doc s : docs) {
            if (!s.kind().equals("Service")) {
                continue;
            }
            Map<String, Object> selector = map(map(s.body(), "spec"), "selector");
            List<Doc> targets = docs.stream().filter(d -> WORKLOADS.contains(d.kind())).filter(d -> map(map(map(map(
                    d.body(), "spec"), "template"), "metadata"), "labels").entrySet().containsAll(selector.entrySet())).toList();
            assertEquals(1, targets.size(), s + " selects " + targets);
            Map<String, Object> container = onlyContainer(map(map(map(targets.get(0).body(), "spec"), "template"), "spec"));
            for (Object p : list(map(s.body(), "spec"), "ports")) {
                Object target = asMap(p).getOrDefault("targetPort", asMap(p).get("port"));
                int port = resolvePort(container, target);
                assertTrue(listOrEmpty(container, "ports").stream().anyMatch(cp -> integer(asMap(cp), "containerPort") == port),
                        s + ": targetPort " + target + " is no containerPort of " + targets.get(0));
            }
        }
    }

    @Test
    void upstreamUrlNamesTheRegistryService() {
        URI upstream = URI.create(env(onlyContainer(map(map(map(one("Deployment", "portcullis").body(), "spec"),
                "template"), "spec"))).get("PORTCULLIS_UPSTREAM"));
        Doc service = one("Service", upstream.getHost());
        assertTrue(list(map(service.body(), "spec"), "ports").stream().anyMatch(p -> integer(asMap(p), "port") == upstream.getPort()),
                "Service " + upstream.getHost() + " has no port " + upstream.getPort());
    }

    @Test
    void registryReplicasShareTheHttpSecretFromASecret() {
        Map<String, Object> pod = map(map(map(one("Deployment", "registry").body(), "spec"), "template"), "spec");
        Map<String, Object> container = onlyContainer(pod);
        assertEquals("registry:2", container.get("image"));
        Map<String, Object> ref = null;
        for (Object e : list(container, "env")) {
            if ("REGISTRY_HTTP_SECRET".equals(asMap(e).get("name"))) {
                ref = map(map(asMap(e), "valueFrom"), "secretKeyRef");
            }
        }
        assertNotNull(ref, "REGISTRY_HTTP_SECRET comes from a secretKeyRef");
        Object secret = secretsByName().get(str(ref, "name"));
        assertNotNull(secret, "secrets.example.yaml defines " + ref.get("name"));
        assertTrue(secretKeys(secret).contains(str(ref, "key")), "the Secret has key " + ref.get("key"));
        assertEquals("/var/lib/registry", list(container, "volumeMounts").stream().map(YamlTree::asMap)
                .filter(m -> m.get("name").equals("data")).findFirst().map(m -> m.get("mountPath")).orElse(null));
    }

    /** Several replicas behave as one only through Redis: the gates name its Service and get its password from a Secret. */
    @Test
    void gateReplicasShareStateThroughRedisWithItsPasswordFromASecret() {
        Map<String, Object> pod = map(map(map(one("Deployment", "portcullis").body(), "spec"), "template"), "spec");
        Map<String, Object> container = onlyContainer(pod);
        Map<String, String> env = env(container);
        URI redis = URI.create(env.get("PORTCULLIS_REDIS"));
        assertEquals("redis", redis.getScheme());
        Doc service = one("Service", redis.getHost());
        assertTrue(list(map(service.body(), "spec"), "ports").stream().anyMatch(p -> integer(asMap(p), "port") == redis.getPort()),
                "Service " + redis.getHost() + " has no port " + redis.getPort());
        assertEquals("/etc/portcullis/redis/password", env.get("PORTCULLIS_REDIS_PASSWORD_FILE"));
        Map<String, Object> secret = mountedSecret(pod, container, "/etc/portcullis/redis");
        assertTrue(secretKeys(secretsByName().get(str(secret, "secretName"))).contains("password"), "the Redis Secret has key password");

        Map<String, Object> redisPod = map(map(map(one("StatefulSet", "redis").body(), "spec"), "template"), "spec");
        String command = String.valueOf(onlyContainer(redisPod).get("command"));
        assertTrue(command.contains("--requirepass") && command.contains("--appendonly yes"), command);
        assertTrue(String.valueOf(redisPod.get("volumes")).contains(str(secret, "secretName")), "Redis reads the same Secret");
        assertTrue(integer(map(one("Deployment", "portcullis").body(), "spec"), "replicas") >= 3, "several replicas");
    }

    @Test
    void secretsExampleHoldsPlaceholdersOnly() throws IOException {
        String text = Files.readString(DIR.resolve("secrets.example.yaml"));
        assertFalse(text.contains("$2y$") || text.contains("$2a$") || text.contains("$2b$"), "a bcrypt hash");
        for (Doc d : docs) {
            if (!d.kind().equals("Secret")) {
                continue;
            }
            assertEquals("secrets.example.yaml", d.file(), d + ": Secrets belong in secrets.example.yaml only");
            assertNull(d.body().get("data"), d + ": use stringData placeholders, not base64 data");
            for (Map.Entry<String, Object> e : map(d.body(), "stringData").entrySet()) {
                assertTrue(String.valueOf(e.getValue()).contains("REPLACE"), d + ": " + e.getKey() + " is not a placeholder");
            }
        }
    }

    /**
     * Schema validation with the Kubernetes OpenAPI schemas that npm's kubernetes-models bundles (see
     * deploy/kubernetes/validate/): types, enums, required fields. Skipped, with the reason, without node/npm.
     */
    @Test
    void validAgainstKubernetesSchemas() throws Exception {
        Path src = DIR.resolve("validate");
        assumeTrue(Tools.find("node").isPresent() && Tools.find("npm").isPresent(), "skipped: node and npm are needed for the schema validation "
                + "(apt-get install nodejs npm)");
        Path work = Path.of("target/kubernetes-validate").toAbsolutePath();
        Files.createDirectories(work);
        boolean fresh = false;
        for (String f : List.of("package.json", "package-lock.json", "validate.mjs")) {
            Path to = work.resolve(f);
            if (!Files.exists(to) || Files.mismatch(src.resolve(f), to) != -1) {
                Files.copy(src.resolve(f), to, StandardCopyOption.REPLACE_EXISTING);
                fresh |= !f.equals("validate.mjs");
            }
        }
        if (fresh || !Files.isDirectory(work.resolve("node_modules/kubernetes-models"))) {
            Cmd.Result npm = Cmd.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund").dir(work)
                    .timeout(Duration.ofSeconds(300)).run();
            assumeTrue(npm.exitCode() == 0, "skipped: `npm ci` of kubernetes-models failed (registry unreachable?):\n" + npm.output());
        }
        Cmd.Result r = Cmd.of("node", "validate.mjs", DIR.toAbsolutePath().toString()).dir(work)
                .timeout(Duration.ofSeconds(120)).run();
        System.out.println(r.output());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains(" 0 invalid"), r.output());
        long valid = r.output().lines().filter(l -> l.startsWith("ok ")).count();
        assertEquals(docs.size(), valid, "every document was schema-checked:\n" + r.output());
    }

    // ---------------------------------------------------------------- helpers

    private static Doc one(String kind, String name) {
        List<Doc> found = docs.stream().filter(d -> d.kind().equals(kind) && Objects.equals(d.name(), name)).toList();
        assertEquals(1, found.size(), "exactly one " + kind + "/" + name);
        return found.get(0);
    }

    private static Map<String, Object> secretsByName() {
        Map<String, Object> out = new java.util.HashMap<>();
        for (Doc d : docs) {
            if (d.kind().equals("Secret")) {
                out.put(d.name(), d.body());
            }
        }
        return out;
    }

    private static List<String> secretKeys(Object secret) {
        assertNotNull(secret, "secret defined in secrets.example.yaml");
        Map<String, Object> s = asMap(secret);
        List<String> keys = new ArrayList<>();
        for (String field : List.of("stringData", "data")) {
            if (s.get(field) != null) {
                keys.addAll(map(s, field).keySet());
            }
        }
        return keys;
    }
}
