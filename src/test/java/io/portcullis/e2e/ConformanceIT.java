package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.Curl;
import io.portcullis.testing.Json;
import io.portcullis.testing.NeedsTools;
import io.portcullis.testing.Poll;
import io.portcullis.testing.Stack;
import io.portcullis.testing.Users;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our stand-in for the OCI distribution-spec conformance suite (a Go program this build cannot fetch or build):
 * its push, pull, content discovery and content management workflows ({@link OciWorkflows}) run straight against
 * the registry and then through the gate, under access rules that allow the user everything, and must give the
 * same statuses, key headers and bodies request by request. A gate that refused, rewrote or lost anything a
 * conforming client relies on shows up as a differing line.
 */
@NeedsTools({"docker-registry", "curl", "htpasswd"})
class ConformanceIT {
    private static final String RULES = String.join("\n",
            "allow " + Users.ALICE + " pull,push,delete **",
            "allow " + Users.ALICE + " catalog",
            "");

    @RegisterExtension
    static final Stack stack = Stack.fixtureWithAccessRules("conformance", RULES);

    private static Path dir(String name) {
        try {
            return Files.createDirectories(stack.dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theWorkflowsGiveTheSameAnswersThroughTheGateAsDirectly() {
        List<String> direct = new OciWorkflows(Curl.plain(), stack.registry().url(), "plain/app", dir("plain")).run();
        List<String> gated = new OciWorkflows(stack.curl(), stack.gate().url(), "gated/app", dir("gated"),
                "-u", Users.ALICE + ":" + Users.ALICE_PW).run();

        // repository names of one length, so lengths compare too; the direct run is itself what the spec expects: pushes create, pulls find, deletes remove
        String all = String.join("\n", direct);
        assertTrue(all.contains("PUT /v2/REPO/manifests/v1 -> 201"), all);
        assertTrue(all.contains("POST /v2/REPO-mounted/blobs/uploads/?mount="), all);
        assertTrue(all.contains("GET /v2/REPO/tags/list?n=2 -> 200"), all);
        assertTrue(all.contains("DELETE /v2/REPO/manifests/sha256:"), all);
        // the error statuses the spec names, as the registry gives them
        for (String expected : List.of("GET /v2/REPO/manifests/.INVALID_MANIFEST_NAME -> 404", "GET /v2/REPO/blobs/sha256:zz -> 400",
                "GET /v2/nothing/here/tags/list -> 404", "POST /v2/REPO/tags/list -> 405", "GET /v2/REPO//tags/list -> 301",
                "PUT /v2/REPO/manifests/bad -> 400", "GET /nothing -> 404")) {
            assertTrue(all.contains(expected), expected + " not in\n" + all);
        }
        for (int i = 0; i < Math.max(direct.size(), gated.size()); i++) {
            String expected = i < direct.size() ? direct.get(i) : "(nothing)";
            String actual = i < gated.size() ? gated.get(i) : "(nothing)";
            assertEquals(expected, actual, "request " + (i + 1) + " differs through the gate\n" + stack.logs());
        }
    }

    @Test
    void aRegistryFailureReachesClientsWithoutTheRegistrysInternals() throws IOException {
        // a file where the registry expects the tags directory: docker-registry answers 500 with its storage path
        Path tags = stack.registry().dir().resolve("storage/docker/registry/v2/repositories/broken/app/_manifests/tags");
        Files.createDirectories(tags.getParent());
        Files.writeString(tags, "not a directory");
        Curl.Response direct = Curl.plain().exchange("GET", stack.registry().url() + "/v2/broken/app/tags/list");
        assertEquals(500, direct.status(), direct::toString);
        assertTrue(Json.read(direct.bodyText()).findValuesAsText("DriverName").contains("filesystem")
                && direct.bodyText().contains(tags.toString()), direct::toString);

        Curl.Response gated = stack.curl().exchange("GET", stack.gate().url() + "/v2/broken/app/tags/list",
                "-u", Users.ALICE + ":" + Users.ALICE_PW);

        assertEquals(500, gated.status(), gated::toString);
        String id = gated.header("X-Request-Id");
        assertEquals("{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"unknown error (request id " + id
                + "; the gate's log has the registry's details)\",\"detail\":{\"request_id\":\"" + id + "\"}}]}", gated.bodyText());
        assertEquals(List.of("registry/2.0"), gated.headers("Docker-Distribution-Api-Version"));
        // the operator finds what the registry said under the id the client reports
        assertTrue(Poll.until(() -> stack.logs().lines().anyMatch(l -> l.contains(id) && l.contains("readdirent")
                && l.contains("filesystem")), Duration.ofSeconds(10)), () -> "no log line with " + id + "\n" + stack.logs());
    }
}
