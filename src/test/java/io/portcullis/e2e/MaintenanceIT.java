package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Cmd;
import io.portcullis.testing.Curl;
import io.portcullis.testing.Digests;
import io.portcullis.testing.GateProcess;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.OciLayout;
import io.portcullis.testing.Poll;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Tools;
import io.portcullis.testing.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The garbage-collection procedure of docs/maintenance.md, end to end with the real registry's collector: push two
 * images, delete one, {@code maintenance on --wait} (which waits for an upload started before the switch), push
 * refused with the message, {@code docker-registry garbage-collect} on the registry's storage, {@code maintenance
 * off}: the deleted image's blobs are gone, the other pulls back byte-identical.
 */
@NeedsTools({"docker-registry", "skopeo", "curl", "tar", "gzip"})
class MaintenanceIT {
    @RegisterExtension
    static final Stack stack = Stack.fixture("maintenance");

    private static Cmd skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return Cmd.of(cmd).env("REGISTRY_AUTH_FILE", stack.dir().resolve("auth.json").toString()).timeout(Duration.ofSeconds(180));
    }

    private static Cmd.Result push(OciLayout.Image image, String repository) {
        return skopeo("copy", "--dest-creds", Users.ALICE + ":" + Users.ALICE_PW, "--dest-cert-dir", stack.pki().caDir().toString(),
                "oci:" + image.layout() + ":" + image.tag(), "docker://" + stack.gate().hostPort() + "/" + repository).run();
    }

    private static List<String> maintenance(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Tools.javaBinary().toString(), "-jar", Tools.gateJar().toString(), "maintenance"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--state-dir", stack.dir().resolve("state").toString()));
        return cmd;
    }

    private static Path blobFile(String digest) {
        String hex = Digests.hex(digest);
        return stack.registry().dir().resolve("storage/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    private static String gateUrl(String path) {
        return "https://" + stack.gate().hostPort() + path;
    }

    private static Curl.Response curl(String method, String url, String... args) {
        List<String> all = new ArrayList<>(List.of("-u", Users.ALICE + ":" + Users.ALICE_PW));
        all.addAll(List.of(args));
        return stack.curl().exchange(method, url, all.toArray(String[]::new));
    }

    private static void awaitReadyz(String fragment) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = stack.curl().exchange("GET", gateUrl("/readyz")).bodyText();
            if (body.contains(fragment)) {
                return;
            }
            Poll.pause(50);
        }
        throw new AssertionError("/readyz never showed " + fragment + ": " + body);
    }

    @Test
    void aGateKilledWithoutNoticeIsNotWaitedFor() throws Exception {
        Path state = stack.dir().resolve("state");
        try (GateProcess doomed = GateProcess.start(Files.createDirectories(stack.dir().resolve("doomed-gate")),
                stack.registry().url(), stack.pki(), stack.users(), "128m", Stack.REALM, List.of("--state-dir", state.toString()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Cmd.of(maintenance("status")).ok().stdout().lines().filter(l -> l.contains("0 writes pending")).count() < 2) {
                assertTrue(System.nanoTime() < deadline, "both gates report");
                Poll.pause(100);
            }
            ProcessHandle.of(doomed.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no chance to withdraw its report
            long start = System.nanoTime();
            Cmd.Result on = Cmd.of(maintenance("on", "--wait", "--timeout", "60s")).timeout(Duration.ofSeconds(90)).run();
            try {
                assertEquals(0, on.exitCode(), on::describe);
                assertTrue(on.stdout().contains("Quiet: 1 gate lets no write through"), on::describe);
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "the dead gate's report went stale within seconds");
                String status = Cmd.of(maintenance("status")).ok().stdout();
                assertTrue(status.contains("(stopped or hung; not waited for)"), status);
            } finally {
                Cmd.of(maintenance("off")).ok();
            }
        }
    }

    @Test
    void garbageCollectionUnderTheSwitch() throws Exception {
        OciLayout.Image keep = OciLayout.build(stack.dir().resolve("keep"), "1", 1000);
        OciLayout.Image drop = OciLayout.build(stack.dir().resolve("drop"), "1", 2000);
        assertEquals(0, push(keep, "team/keep:1").exitCode(), stack::logs);
        assertEquals(0, push(drop, "team/drop:1").exitCode(), stack::logs);
        skopeo("delete", "--creds", Users.ALICE + ":" + Users.ALICE_PW, "--cert-dir", stack.pki().caDir().toString(),
                "docker://" + stack.gate().hostPort() + "/team/drop:1").ok();
        drop.layerDigests().forEach(d -> assertTrue(Files.exists(blobFile(d)), "before GC the deleted image's layers are stored"));

        // an upload that starts before the switch
        Curl.Response started = curl("POST", gateUrl("/v2/team/late/blobs/uploads/"));
        assertEquals(202, started.status(), started::toString);
        byte[] late = Digests.randomBytes(300_000, 7);
        Path lateFile = Files.write(stack.dir().resolve("late.bin"), late);

        Path waitLog = stack.dir().resolve("maintenance-wait.log");
        Process waiting = new ProcessBuilder(maintenance("on", "--wait", "--timeout", "2m")).redirectErrorStream(true)
                .redirectOutput(waitLog.toFile()).start();
        try {
            awaitReadyz("\"maintenance\":\"on since");
            Curl.Response patched = curl("PATCH", started.header("Location"), "-H", "Content-Type: application/octet-stream",
                    "--data-binary", "@" + lateFile);
            assertEquals(202, patched.status(), "an upload from before the switch goes on: " + patched);
            assertTrue(waiting.isAlive(), "on --wait must not return while that upload is still sending");
            Curl.Response finished = curl("PUT", patched.header("Location") + "&digest=" + Digests.of(late));
            assertEquals(201, finished.status(), finished::toString);
            assertTrue(waiting.waitFor(60, TimeUnit.SECONDS), "on --wait returns once the upload is done");
            String out = Files.readString(waitLog);
            assertEquals(0, waiting.exitValue(), out);
            assertTrue(out.contains("Waiting for 1 gate") && out.contains("Quiet: 1 gate lets no write through"), out);
        } finally {
            waiting.destroyForcibly();
        }

        // a push during maintenance fails with the message
        OciLayout.Image refused = OciLayout.build(stack.dir().resolve("refused"), "1", 3000);
        Cmd.Result duringGc = push(refused, "team/refused:1");
        assertFalse(duringGc.exitCode() == 0, duringGc::describe);
        assertTrue(duringGc.output().contains("in maintenance") && duringGc.output().contains("try again later"), duringGc::describe);
        Curl.Response delete = curl("DELETE", gateUrl("/v2/team/keep/manifests/" + keep.manifestDigest()));
        assertEquals(405, delete.status(), delete::toString);
        assertEquals("60", delete.header("Retry-After"));

        Cmd.Result gc = Cmd.of("docker-registry", "garbage-collect", stack.registry().dir().resolve("config.yml").toString())
                .timeout(Duration.ofSeconds(120)).run();
        assertEquals(0, gc.exitCode(), gc::describe);
        Cmd.Result off = Cmd.of(maintenance("off")).ok();
        assertTrue(off.stdout().contains("Maintenance mode off"), off::describe);
        awaitReadyz("\"maintenance\":\"off\"");

        drop.layerDigests().forEach(d -> assertFalse(Files.exists(blobFile(d)), "GC removed layer " + d + " of the deleted image"));
        assertFalse(Files.exists(blobFile(drop.manifestDigest())), "and its manifest");
        keep.layerDigests().forEach(d -> assertTrue(Files.exists(blobFile(d)), "the kept image's layer " + d + " stays"));

        Path back = stack.dir().resolve("keep-pulled");
        skopeo("copy", "--src-creds", Users.ALICE + ":" + Users.ALICE_PW, "--src-cert-dir", stack.pki().caDir().toString(),
                "docker://" + stack.gate().hostPort() + "/team/keep:1", "oci:" + back + ":1").ok();
        Map<String, byte[]> sent = OciLayout.blobs(keep.layout());
        Map<String, byte[]> received = OciLayout.blobs(back);
        assertEquals(sent.keySet(), received.keySet());
        sent.forEach((name, bytes) -> assertArrayEquals(bytes, received.get(name), "blob " + name + " differs"));

        assertEquals(0, push(refused, "team/refused:1").exitCode(), "pushes work again after 'maintenance off'");
    }

}
